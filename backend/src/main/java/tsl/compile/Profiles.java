package tsl.compile;

import java.util.ArrayList;
import java.util.List;

/**
 * The profiles of this process's functions, printed to stderr at exit when the
 * {@code profile} flag is on (Theano's {@code profile=True} flag behaves the same way).
 */
final class Profiles {
    private static final List<ProfileStats> ALL = new ArrayList<>();
    private static boolean hooked;

    private Profiles() {}

    static synchronized ProfileStats register(ProfileStats p) {
        if (Config.profileAll()) {
            ALL.add(p);
            if (!hooked) {
                hooked = true;
                Runtime.getRuntime().addShutdownHook(new Thread(Profiles::printAll, "tsl-profile"));
            }
        }
        return p;
    }

    private static void printAll() {
        List<ProfileStats> copy;
        synchronized (Profiles.class) {
            copy = new ArrayList<>(ALL);
        }
        for (ProfileStats p : copy) {
            if (p.calls() > 0) {
                System.err.println(p.summary());
            }
        }
    }
}
