#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| cti::fuzzing::cti_json(data));
