package com.hsrcpay.apikeys.transparency.merkle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/** The test vectors of transparency-dev/merkle, kept under src/test/resources/vectors. */
final class Vectors {

    static final Path ROOT = root();
    private static final ObjectMapper JSON = new ObjectMapper();

    private Vectors() {
    }

    private static Path root() {
        try {
            return Path.of(Vectors.class.getResource("/vectors/transparency-dev-merkle").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Path> files(String kind) {
        try (Stream<Path> walk = Files.walk(ROOT.resolve(kind))) {
            return walk.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] b64(JsonNode node) {
        return node == null || node.isNull() ? null : Base64.getDecoder().decode(node.asText());
    }

    static List<byte[]> hashes(JsonNode array) {
        List<byte[]> out = new ArrayList<>();
        array.forEach(h -> out.add(Base64.getDecoder().decode(h.asText())));
        return out;
    }

    static byte[] hex(String text) {
        return HexFormat.of().parseHex(text);
    }
}
