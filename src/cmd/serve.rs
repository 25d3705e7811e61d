//! `hindsight serve`.

use crate::cli::ServeArgs;
use crate::error::Result;
use crate::serve::{self, ServeOptions};
use crate::site::SiteOptions;

pub(super) fn run(args: &ServeArgs) -> Result<u8> {
    let opts = ServeOptions {
        site: SiteOptions {
            drafts: !args.no_drafts,
            ..SiteOptions::new(&args.root.root)
        },
        bind: args.bind.clone(),
        port: args.port,
        open: args.open,
        allow_hosts: args.allow_host.clone(),
    };
    serve::run(opts)?;
    Ok(0)
}
