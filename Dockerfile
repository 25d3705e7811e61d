# hindsight in a container: the first stage builds a static (musl) binary,
# the image holds only that binary. Run it with the archive mounted at
# /site:
#   docker build -t hindsight .
#   docker run --rm -u "$(id -u):$(id -g)" -v "$PWD:/site" hindsight build
#   docker run --rm -p 1111:1111 -v "$PWD:/site" hindsight serve --bind 0.0.0.0

FROM rust:1.95-alpine3.22 AS build
# A C compiler and musl's headers: the highlighter's regex engine and the
# allocator are C.
RUN apk add --no-cache gcc musl-dev
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY src ./src
COPY themes ./themes
# On Alpine, Rust's target is musl and links statically.
RUN cargo build --release --locked \
    && strip target/release/hindsight

FROM scratch
COPY --from=build /src/target/release/hindsight /usr/local/bin/hindsight
WORKDIR /site
ENTRYPOINT ["/usr/local/bin/hindsight"]
CMD ["build"]
