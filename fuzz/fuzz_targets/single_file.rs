//! A whole postmortem: load, validate, and render every page of an archive
//! made of it.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    hindsight::fuzzing::single_file(text);
});
