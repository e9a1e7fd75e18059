package io.nbd4j.server.transmission;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;

class BufferPoolTest {
    @Test
    void theBufferGivenBackLastIsTheNextHandedOut() {
        BufferPool pool = new BufferPool(256 << 10);
        ByteBuffer first = pool.acquire(256 << 10);
        ByteBuffer second = pool.acquire(256 << 10);
        pool.release(first);
        pool.release(second);

        assertThat(pool.acquire(200 << 10)).isSameAs(second);
        assertThat(pool.acquire(256 << 10)).isSameAs(first);
    }

    @Test
    void aReusedBufferComesBackClearedToTheSizeAsked() {
        BufferPool pool = new BufferPool(64 << 10);
        ByteBuffer b = pool.acquire(64 << 10);
        b.position(100);
        pool.release(b);

        ByteBuffer again = pool.acquire(40 << 10);
        assertThat(again).isSameAs(b);
        assertThat(again.position()).isZero();
        assertThat(again.limit()).isEqualTo(40 << 10);
    }

    @Test
    void buffersOfOtherSizeClassesAreNotMixed() {
        BufferPool pool = new BufferPool(1 << 20);
        ByteBuffer small = pool.acquire(4096);
        pool.release(small);

        ByteBuffer large = pool.acquire(1 << 20);
        assertThat(large).isNotSameAs(small);
        assertThat(large.capacity()).isEqualTo(1 << 20);
        assertThat(pool.acquire(4096)).isSameAs(small);
    }
}
