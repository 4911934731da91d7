#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| phone::fuzzing::sip_message(data));
