#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| disposition_tree::fuzzing::disposition_tree(data));
