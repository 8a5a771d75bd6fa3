package com.hsrcpay.apikeys.transparency.merkle;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every inclusion and consistency vector of transparency-dev/merkle: accepted exactly when it is not wantErr. */
class MerkleProofsTest {

    @Test
    void inclusionVectorsAreJudgedAsPublished() {
        List<Path> files = Vectors.files("inclusion");
        assertThat(files).hasSizeGreaterThan(80);
        for (Path file : files) {
            JsonNode v = Vectors.read(file);
            boolean verified = MerkleProofs.verifyInclusion(v.get("leafIdx").asLong(), v.get("treeSize").asLong(),
                    Vectors.b64(v.get("leafHash")), Vectors.hashes(v.get("proof")), Vectors.b64(v.get("root")));
            assertThat(verified).as("%s (%s)", Vectors.ROOT.relativize(file), v.get("desc").asText())
                    .isEqualTo(!v.get("wantErr").asBoolean());
        }
    }

    @Test
    void consistencyVectorsAreJudgedAsPublished() {
        List<Path> files = Vectors.files("consistency");
        assertThat(files).hasSizeGreaterThan(80);
        for (Path file : files) {
            JsonNode v = Vectors.read(file);
            boolean verified = MerkleProofs.verifyConsistency(v.get("size1").asLong(), v.get("size2").asLong(),
                    Vectors.b64(v.get("root1")), Vectors.b64(v.get("root2")), Vectors.hashes(v.get("proof")));
            assertThat(verified).as("%s (%s)", Vectors.ROOT.relativize(file), v.get("desc").asText())
                    .isEqualTo(!v.get("wantErr").asBoolean());
        }
    }
}
