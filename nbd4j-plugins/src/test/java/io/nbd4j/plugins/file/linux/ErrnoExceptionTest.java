package io.nbd4j.plugins.file.linux;

import io.nbd4j.spi.NbdError;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ErrnoExceptionTest {
    @Test
    void errnoMapsToTheErrorTheClientMustSee() {
        assertThat(new ErrnoException("pwrite", Errno.ENOSPC).error()).isEqualTo(NbdError.ENOSPC);
        assertThat(new ErrnoException("pwrite", Errno.EDQUOT).error()).isEqualTo(NbdError.ENOSPC);
        assertThat(new ErrnoException("open", Errno.EROFS).error()).isEqualTo(NbdError.EPERM);
        assertThat(new ErrnoException("open", Errno.EACCES).error()).isEqualTo(NbdError.EPERM);
        assertThat(new ErrnoException("open", Errno.EPERM).error()).isEqualTo(NbdError.EPERM);
        assertThat(new ErrnoException("fallocate", Errno.EOPNOTSUPP).error()).isEqualTo(NbdError.ENOTSUP);
        assertThat(new ErrnoException("lseek", Errno.ENXIO).error()).isEqualTo(NbdError.EIO);
    }

    @Test
    void unsupportedMeansTheCallWillNeverWorkOnThisFile() {
        assertThat(new ErrnoException("fallocate", Errno.EOPNOTSUPP).meansUnsupported()).isTrue();
        assertThat(new ErrnoException("ioctl", Errno.ENOTTY).meansUnsupported()).isTrue();
        assertThat(new ErrnoException("fallocate", Errno.EINVAL).meansUnsupported()).isFalse();
        assertThat(new ErrnoException("fallocate", Errno.ENOSPC).meansUnsupported()).isFalse();
    }

    @Test
    void aFailedCallNamesTheCallAndTheErrno() {
        if (!Linux.isAvailable()) {
            assertThat(Linux.unavailableReason()).isNotBlank();
            return;
        }
        ErrnoException e = null;
        try {
            Linux.open("/nonexistent/nbd4j-test", Linux.O_RDONLY);
        } catch (ErrnoException x) {
            e = x;
        }
        assertThat(e).isNotNull();
        assertThat(e.errno()).isEqualTo(Errno.ENOENT);
        assertThat(e.getMessage()).contains("open /nonexistent/nbd4j-test").contains("ENOENT");
    }
}
