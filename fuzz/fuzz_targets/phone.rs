#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| phone_number::fuzzing::phone(data));
