// Empty: this crate only pins the precision corpus (see Cargo.toml); it is never built.
