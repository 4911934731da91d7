//! The courier against the simulator over loopback, in one binary: what is retried and when, what waits for the
//! agent (retries.rs), order per call, one request in flight, resuming after a restart (order.rs).

// Not every test module uses every helper of the shared fixture.
#[allow(dead_code)]
mod support;

mod order;
mod retries;
