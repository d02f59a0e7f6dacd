//! Runs one cleaning job on one file, with the part worth counting inside
//! [`measured`], for `benches/callgrind.sh`: callgrind counts only what
//! runs inside that function (`--collect-atstart=no
//! --toggle-collect=stage::measured`), so start-up and warm-up are left
//! out, and the stages' own functions (`articlean::passes::run`...) show
//! what each costs of one document.
//!
//! ```text
//! stage html|text|markdown FILE   # a second clean of FILE (the first warms up)
//! stage ammonia FILE              # ammonia::clean alone, likewise
//! stage first FILE                # a new default Cleaner and its first document
//! stage lists FILE                # html with EasyList and EasyPrivacy loaded
//!                                 # from $ARTICLEAN_LISTS (a second document)
//! ```

use std::hint::black_box;

use articlean::Cleaner;

/// The work callgrind counts.
#[inline(never)]
fn measured(work: &dyn Fn()) {
    work();
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, what, file] = args.as_slice() else {
        eprintln!("usage: stage html|text|markdown|ammonia|first FILE");
        std::process::exit(2);
    };
    let page = std::fs::read_to_string(file).expect("a UTF-8 file");
    let cleaner = |format: &str| {
        Cleaner::builder()
            .html(format == "html")
            .text(format == "text")
            .markdown(format == "markdown")
            .build()
            .expect("valid settings")
    };
    match what.as_str() {
        "html" | "text" | "markdown" => {
            let cleaner = cleaner(what);
            black_box(cleaner.clean(&page));
            measured(&|| {
                black_box(cleaner.clean(black_box(&page)));
            });
        }
        #[cfg(feature = "filter-lists")]
        "lists" => {
            let dir = std::path::PathBuf::from(
                std::env::var_os("ARTICLEAN_LISTS")
                    .expect("ARTICLEAN_LISTS names the lists' folder"),
            );
            let cleaner = Cleaner::builder()
                .add_filter_list_file(dir.join("easylist.txt"))
                .add_filter_list_file(dir.join("easyprivacy.txt"))
                .build()
                .expect("the lists load");
            black_box(cleaner.clean(&page));
            measured(&|| {
                black_box(cleaner.clean(black_box(&page)));
            });
        }
        "ammonia" => {
            black_box(ammonia::clean(&page));
            measured(&|| {
                black_box(ammonia::clean(black_box(&page)));
            });
        }
        "first" => measured(&|| {
            black_box(Cleaner::new().clean(black_box(&page)));
        }),
        _ => {
            eprintln!("stage: unknown job {what:?}");
            std::process::exit(2);
        }
    }
}
