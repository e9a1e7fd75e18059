/**
 * JMH microbenchmarks of nbd4j's request path: request decoding and reply encoding
 * ({@link io.nbd4j.bench.CodecBenchmark}), the direct buffer pool ({@link io.nbd4j.bench.BufferPoolBenchmark})
 * and the memory plugin's page table ({@link io.nbd4j.bench.PageTableBenchmark}). They are compiled
 * and packaged into {@code nbd4j-bench/target/benchmarks.jar} by {@code mvn verify} but never run by
 * it; see the module's README.md.
 */
package io.nbd4j.bench;
