package io.edgeai.models.internal;

import io.edgeai.api.model.InvalidModelException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * The signature of a model archive: beside {@code model.json}, {@code manifest.sha256} lists the SHA-256 of every
 * other file of the archive in {@code sha256sum}'s format ({@code <hex>  <path>} per line, paths relative to the
 * model's folder), {@code manifest.sig} holds the Ed25519 signature of those exact bytes (64 bytes, as {@code openssl
 * pkeyutl -sign -rawin} writes it) and {@code manifest.key}, optionally, the signing key's fingerprint. An archive is
 * accepted as signed only when every file it holds is listed with its digest, every listed file is there, and a key of
 * the {@link TrustStore} that is not revoked made the signature. What is signed are the files' names and bytes; zip
 * metadata the gateway does not use (timestamps, comments, attributes) is not, as with signed jars.
 */
final class ArchiveSignature {

    static final String MANIFEST = "manifest.sha256";
    static final String SIGNATURE = "manifest.sig";
    static final String KEY = "manifest.key";
    static final Set<String> FILES = Set.of(MANIFEST, SIGNATURE, KEY);

    private static final Pattern LINE = Pattern.compile("([0-9a-fA-F]{64}) [ *](.+)");

    /** Why an archive's signature was refused: a short code for metrics, and the whole reason. */
    static final class Refused extends InvalidModelException {

        private static final long serialVersionUID = 1L;
        private final String code;

        Refused(String code, String message) {
            super(message);
            this.code = code;
        }

        /** {@code unsigned}, {@code unknown-key}, {@code revoked-key}, {@code bad-signature}, {@code digest-mismatch},
         * {@code unlisted-file}, {@code missing-file}, {@code bad-manifest}. */
        String code() {
            return code;
        }
    }

    private ArchiveSignature() {
    }

    /**
     * Checks the signature of an unpacked archive.
     *
     * @return the key that signed it, or {@code null} for an unsigned archive where none is required
     * @throws Refused with the reason when it is unsigned but must be signed, or its signature does not hold
     */
    static TrustStore.Key verify(Path archive, Path folder, TrustStore trust, boolean required, String why)
            throws Refused {
        Path manifest = folder.resolve(MANIFEST);
        Path signature = folder.resolve(SIGNATURE);
        boolean hasManifest = Files.isRegularFile(manifest);
        boolean hasSignature = Files.isRegularFile(signature);
        if (!hasManifest && !hasSignature) {
            if (required) {
                throw new Refused("unsigned", "unsigned: " + why + " must be signed (" + MANIFEST + " and " + SIGNATURE
                        + " beside model.json; docs/models.md#signed-archives)");
            }
            return null;
        }
        if (!hasManifest || !hasSignature) {
            throw new Refused("bad-manifest", "incomplete signature: " + (hasManifest ? SIGNATURE : MANIFEST)
                    + " is missing");
        }
        try {
            byte[] manifestBytes = Files.readAllBytes(manifest);
            byte[] signatureBytes = Files.readAllBytes(signature);
            checkFiles(folder, parse(manifestBytes));
            checkHeaders(archive);
            return signer(folder, trust, manifestBytes, signatureBytes);
        } catch (IOException e) {
            throw new Refused("bad-manifest", "cannot read the signature: " + e.getMessage());
        }
    }

    /** The manifest's entries: path to digest, in its order. */
    private static Map<String, String> parse(byte[] manifest) throws Refused {
        Map<String, String> entries = new LinkedHashMap<>();
        String[] lines = new String(manifest, StandardCharsets.UTF_8).split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            if (line.isEmpty()) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                throw new Refused("bad-manifest", MANIFEST + " line " + (i + 1) + " is not '<sha256 hex>  <path>'");
            }
            String path = m.group(2).startsWith("./") ? m.group(2).substring(2) : m.group(2);
            if (entries.put(path, m.group(1).toLowerCase(Locale.ROOT)) != null) {
                throw new Refused("bad-manifest", MANIFEST + " lists " + path + " twice");
            }
        }
        return entries;
    }

    /** Every file of the archive listed with its digest, every listed file there. */
    private static void checkFiles(Path folder, Map<String, String> listed) throws IOException, Refused {
        Map<String, Path> held = files(folder);
        for (String path : held.keySet()) {
            if (!listed.containsKey(path)) {
                throw new Refused("unlisted-file", "file " + path + " is not in the signed manifest");
            }
        }
        for (Map.Entry<String, String> entry : listed.entrySet()) {
            Path file = held.get(entry.getKey());
            if (file == null) {
                throw new Refused("missing-file", "the signed manifest lists " + entry.getKey()
                        + ", which the archive does not hold");
            }
            String actual;
            try {
                actual = ModelArchive.sha256(file);
            } catch (InvalidModelException e) {
                throw new IOException(e.getMessage(), e);
            }
            if (!actual.equals(entry.getValue())) {
                throw new Refused("digest-mismatch", "digest mismatch for " + entry.getKey() + ": signed "
                        + entry.getValue() + ", the file's SHA-256 is " + actual);
            }
        }
    }

    /**
     * The zip's two descriptions of each entry agree: its local header (which a streaming reader, say a device's,
     * goes by) and the central directory (which the gateway goes by) name the same files in the same order, with the
     * same method, time, flags, sizes and CRC; so that no byte of them can be changed unseen.
     */
    private static void checkHeaders(Path archive) throws IOException, Refused {
        List<ZipEntry> central = new ArrayList<>();
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            central.addAll(java.util.Collections.list(zip.entries()));
        }
        int i = 0;
        try (ZipInputStream local = new ZipInputStream(Files.newInputStream(archive))) {
            for (ZipEntry entry = local.getNextEntry(); entry != null; entry = local.getNextEntry(), i++) {
                local.transferTo(OutputStream.nullOutputStream()); // sizes and CRC of a data descriptor come after
                ZipEntry listed = i < central.size() ? central.get(i) : null;
                if (listed == null || !listed.getName().equals(entry.getName())
                        || listed.getMethod() != entry.getMethod() || listed.getTime() != entry.getTime()
                        || listed.getCrc() != entry.getCrc() || listed.getSize() != entry.getSize()
                        || listed.getCompressedSize() != entry.getCompressedSize()
                        || !Arrays.equals(listed.getExtra(), entry.getExtra())) {
                    throw new Refused("bad-manifest", "the zip's local header of entry " + (i + 1) + " ('"
                            + entry.getName() + "') disagrees with its central directory: the archive was altered");
                }
            }
        } catch (java.util.zip.ZipException | IllegalArgumentException e) {
            // a local header's name that is not UTF-8 comes as IllegalArgumentException from ZipInputStream
            throw new Refused("bad-manifest", "the zip's entries cannot be read in order: " + e.getMessage());
        }
        if (i != central.size()) {
            throw new Refused("bad-manifest", "the zip's central directory lists " + central.size() + " entries, its"
                    + " local headers " + i + ": the archive was altered");
        }
    }

    private static TrustStore.Key signer(Path folder, TrustStore trust, byte[] manifest, byte[] signature)
            throws IOException, Refused {
        List<TrustStore.Key> keys = trust.keys();
        Path named = folder.resolve(KEY);
        if (Files.isRegularFile(named)) {
            String fingerprint = Files.readString(named, StandardCharsets.US_ASCII).trim().toLowerCase(Locale.ROOT)
                    .replaceFirst("^sha256:", "").replaceAll("\\s.*", "");
            TrustStore.Key key = keys.stream().filter(k -> k.fingerprint().equals(fingerprint)).findFirst()
                    .orElseThrow(() -> new Refused("unknown-key", "unknown key: signed by sha256:" + fingerprint
                            + ", which is not in the trust store (" + trust.folder() + ")"));
            if (!verifies(key, manifest, signature)) {
                throw new Refused("bad-signature", "bad signature: " + MANIFEST + " or " + SIGNATURE + " was altered"
                        + " after " + key.label() + " signed it");
            }
            return notRevoked(key);
        }
        for (TrustStore.Key key : keys) {
            if (verifies(key, manifest, signature)) {
                return notRevoked(key);
            }
        }
        throw new Refused("unknown-key", "unknown key: none of the " + keys.size() + " keys in the trust store ("
                + trust.folder() + ") made this signature (or " + MANIFEST + " was altered)");
    }

    private static TrustStore.Key notRevoked(TrustStore.Key key) throws Refused {
        if (key.revoked()) {
            throw new Refused("revoked-key", "revoked key: signed by " + key.label() + ", which is on the revocation"
                    + " list");
        }
        return key;
    }

    private static boolean verifies(TrustStore.Key key, byte[] manifest, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key.key());
            verifier.update(manifest);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // a signature of the wrong length, say: not this key's
        }
    }

    /** The archive's files, by path relative to its folder ('/'-separated), its signature files left out. */
    static Map<String, Path> files(Path folder) throws IOException {
        Map<String, Path> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path file : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                String path = folder.relativize(file).toString().replace('\\', '/');
                if (!FILES.contains(path)) {
                    files.put(path, file);
                }
            }
        }
        return files;
    }

    /** A manifest in {@code sha256sum}'s format of files' digests (path to hex), sorted by path. */
    static byte[] manifest(Map<String, String> digests) {
        StringBuilder manifest = new StringBuilder();
        new TreeMap<>(digests).forEach((path, digest) -> manifest.append(digest).append("  ").append(path).append('\n'));
        return manifest.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Signs a manifest with an Ed25519 private key. */
    static byte[] sign(byte[] manifest, PrivateKey key) throws GeneralSecurityException {
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(key);
        signer.update(manifest);
        return signer.sign();
    }

    /**
     * Writes {@code out}: the archive {@code in} with its files' manifest, signed with {@code key} (an Ed25519 private
     * key), and the key's fingerprint; a signature it had is replaced.
     *
     * @return the manifest that was signed
     */
    static byte[] signZip(Path in, PrivateKey key, String fingerprint, Path out) throws IOException,
            GeneralSecurityException, InvalidModelException {
        Map<String, String> digests = new TreeMap<>();
        String prefix;
        try (ZipFile zip = new ZipFile(in.toFile())) {
            prefix = ModelArchive.rootPrefix(zip);
            for (Enumeration<? extends ZipEntry> entries = zip.entries(); entries.hasMoreElements();) {
                ZipEntry entry = entries.nextElement();
                String name = entry.getName();
                if (entry.isDirectory() || !name.startsWith(prefix) || FILES.contains(name.substring(prefix.length()))) {
                    continue;
                }
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                try (InputStream data = zip.getInputStream(entry)) {
                    data.transferTo(new DigestOutputStream(OutputStream.nullOutputStream(), digest));
                }
                digests.put(name.substring(prefix.length()), HexFormat.of().formatHex(digest.digest()));
            }
            byte[] manifest = manifest(digests);
            try (ZipOutputStream zipOut = new ZipOutputStream(Files.newOutputStream(out))) {
                for (Enumeration<? extends ZipEntry> entries = zip.entries(); entries.hasMoreElements();) {
                    ZipEntry entry = entries.nextElement();
                    String name = entry.getName();
                    if (name.startsWith(prefix) && FILES.contains(name.substring(prefix.length()))) {
                        continue;
                    }
                    zipOut.putNextEntry(new ZipEntry(name));
                    try (InputStream data = zip.getInputStream(entry)) {
                        data.transferTo(zipOut);
                    }
                    zipOut.closeEntry();
                }
                put(zipOut, prefix + MANIFEST, manifest);
                put(zipOut, prefix + SIGNATURE, sign(manifest, key));
                put(zipOut, prefix + KEY, (fingerprint + "\n").getBytes(StandardCharsets.US_ASCII));
            }
            return manifest;
        }
    }

    private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }
}
