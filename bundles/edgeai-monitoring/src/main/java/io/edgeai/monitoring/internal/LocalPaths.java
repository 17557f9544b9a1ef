package io.edgeai.monitoring.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Takes the gateway's own absolute folders out of texts served over HTTP (health reasons): {@code /opt/gw/etc/x.cfg}
 * becomes {@code etc/x.cfg}, the home folder {@code ~}. A remote reader learns what is wrong, not how the machine is
 * laid out.
 */
final class LocalPaths {

    private final List<String[]> replacements = new ArrayList<>();

    /** The folders of this JVM's Karaf: base, home, data, etc, and the user's home. */
    static LocalPaths ofThisGateway() {
        LocalPaths paths = new LocalPaths();
        paths.add(System.getProperty("karaf.etc"), "etc");
        paths.add(System.getProperty("karaf.data"), "data");
        paths.add(System.getProperty("karaf.base"), ".");
        paths.add(System.getProperty("karaf.home"), ".");
        paths.add(System.getProperty("user.home"), "~");
        return paths;
    }

    /** Replaces {@code folder} (an absolute path) by {@code name}; longer folders are replaced first. */
    LocalPaths add(String folder, String name) {
        if (folder != null && folder.length() > 1 && folder.startsWith("/")) {
            String trimmed = folder.endsWith("/") ? folder.substring(0, folder.length() - 1) : folder;
            replacements.add(new String[] {trimmed, name});
            replacements.sort(Comparator.comparingInt((String[] r) -> r[0].length()).reversed());
        }
        return this;
    }

    String scrub(String text) {
        String result = text;
        for (String[] replacement : replacements) {
            result = result.replace(replacement[0] + "/", replacement[1] + "/").replace(replacement[0],
                    replacement[1]);
        }
        return result;
    }
}
