package io.github.apikey.core.hash;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Lowers the scheduling priority (raises the nice value) of the calling thread, on Linux, where it is a per-thread
 * setting that threads started by native code (Argon2's lanes) inherit. Hash work at background priority yields
 * the CPU to request threads serving cached keys, so a flood of keys that each need a hash cannot starve them;
 * on an idle machine it runs as fast as ever. Elsewhere, or where the call fails, nothing changes.
 */
final class BackgroundPriority {

    /** The nice value of hash threads: low, not idle, so they still progress under steady load. */
    static final int NICE = 10;

    private static final Logger log = Logger.getLogger(BackgroundPriority.class.getName());
    private static final int PRIO_PROCESS = 0;

    private BackgroundPriority() {
    }

    interface CLibrary extends Library {
        int setpriority(int which, int who, int prio);
    }

    private static final class Holder {
        static final CLibrary C = Platform.isLinux() ? Native.load("c", CLibrary.class) : null;
    }

    /** @return whether the calling thread now runs at background priority */
    static boolean lowerCurrentThread() {
        try {
            // On Linux, who = 0 with PRIO_PROCESS addresses the calling thread only.
            return Holder.C != null && Holder.C.setpriority(PRIO_PROCESS, 0, NICE) == 0;
        } catch (Throwable unavailable) {
            log.log(Level.FINE, "Could not lower the priority of hash threads", unavailable);
            return false;
        }
    }
}
