package com.hsrcpay.apikeys.transparency.merkle;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MerkleTreeTest {

    /** A tree kept as its complete subtrees in memory, filled by CompactRange as the writer fills the database. */
    static final class MemoryTree {
        final Map<String, byte[]> nodes = new HashMap<>();
        final CompactRange range = new CompactRange();
        final MerkleTree tree = new MerkleTree((level, index) -> {
            byte[] hash = nodes.get(level + "/" + index);
            if (hash == null) {
                throw new AssertionError("read of a node never written: " + level + "/" + index);
            }
            return hash;
        });

        void append(byte[] leafHash) {
            range.append(leafHash, (level, index, hash) -> nodes.put(level + "/" + index, hash));
        }
    }

    static List<byte[]> leaves(int n) {
        List<byte[]> leaves = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            leaves.add(ReferenceMerkle.leafHash(new byte[] {(byte) i, (byte) (i >> 8), 7}));
        }
        return leaves;
    }

    @Test
    void theReferenceTreeOfTransparencyDevHasItsPublishedRootsAndNodes() {
        JsonNode reference = Vectors.read(Vectors.ROOT.resolve("reference-tree.json"));
        MemoryTree memory = new MemoryTree();
        JsonNode roots = reference.get("root_hashes_hex_by_size");
        assertThat(memory.tree.root(0)).isEqualTo(Vectors.hex(roots.get(0).asText()));
        assertThat(MerkleHashes.empty()).isEqualTo(Vectors.hex(roots.get(0).asText()));
        int size = 0;
        for (JsonNode input : reference.get("leaf_inputs_hex")) {
            memory.append(MerkleHashes.leaf(Vectors.hex(input.asText())));
            size++;
            assertThat(memory.tree.root(size)).as("root of size %d", size).isEqualTo(Vectors.hex(roots.get(size).asText()));
            assertThat(memory.range.root()).as("compact root of size %d", size).isEqualTo(Vectors.hex(roots.get(size).asText()));
        }
        JsonNode levels = reference.get("node_hashes_hex_by_level");
        for (int level = 0; level < levels.size(); level++) {
            for (int index = 0; index < levels.get(level).size(); index++) {
                assertThat(memory.nodes.get(level + "/" + index)).as("node %d/%d", level, index)
                        .isEqualTo(Vectors.hex(levels.get(level).get(index).asText()));
            }
        }
    }

    @Test
    void proofsOfTheReferenceTreeEqualTheHappyPathVectors() {
        JsonNode reference = Vectors.read(Vectors.ROOT.resolve("reference-tree.json"));
        MemoryTree memory = new MemoryTree();
        reference.get("leaf_inputs_hex").forEach(input -> memory.append(MerkleHashes.leaf(Vectors.hex(input.asText()))));
        int checked = 0;
        for (Path file : Vectors.files("inclusion")) {
            JsonNode v = Vectors.read(file);
            if (file.getFileName().toString().equals("happy-path.json")) {
                assertThat(memory.tree.inclusionProof(v.get("leafIdx").asLong(), v.get("treeSize").asLong()))
                        .as(file.toString()).containsExactlyElementsOf(Vectors.hashes(v.get("proof")));
                checked++;
            }
        }
        for (Path file : Vectors.files("consistency")) {
            JsonNode v = Vectors.read(file);
            if (file.getFileName().toString().equals("happy-path.json")) {
                assertThat(memory.tree.consistencyProof(v.get("size1").asLong(), v.get("size2").asLong()))
                        .as(file.toString()).containsExactlyElementsOf(Vectors.hashes(v.get("proof")));
                checked++;
            }
        }
        assertThat(checked).isEqualTo(10);
    }

    @Test
    void everyProofOfTreesUpTo70LeavesIsTheRfcsAndChecksOutWithAnIndependentImplementation() {
        List<byte[]> leaves = leaves(70);
        MemoryTree memory = new MemoryTree();
        leaves.forEach(memory::append);
        for (int n = 1; n <= leaves.size(); n++) {
            List<byte[]> prefix = leaves.subList(0, n);
            byte[] root = ReferenceMerkle.mth(prefix);
            assertThat(memory.tree.root(n)).isEqualTo(root);
            for (int m = 0; m < n; m++) {
                List<byte[]> path = memory.tree.inclusionProof(m, n);
                assertThat(path).containsExactlyElementsOf(ReferenceMerkle.path(m, prefix));
                assertThat(ReferenceMerkle.rootFromPath(m, n, leaves.get(m), path)).as("inclusion %d in %d", m, n)
                        .isEqualTo(root);
                assertThat(MerkleProofs.verifyInclusion(m, n, leaves.get(m), path, root)).isTrue();
            }
            for (int m = 1; m <= n; m++) {
                List<byte[]> proof = memory.tree.consistencyProof(m, n);
                byte[] oldRoot = ReferenceMerkle.mth(leaves.subList(0, m));
                assertThat(proof).containsExactlyElementsOf(ReferenceMerkle.proof(m, prefix));
                byte[][] rebuilt = ReferenceMerkle.rootsFromConsistency(m, n, oldRoot, proof);
                assertThat(rebuilt).as("consistency %d to %d", m, n).isNotNull();
                assertThat(rebuilt[0]).isEqualTo(oldRoot);
                assertThat(rebuilt[1]).isEqualTo(root);
                assertThat(MerkleProofs.verifyConsistency(m, n, oldRoot, root, proof)).isTrue();
            }
        }
    }

    @Test
    void aRangeReadBackFromStoredSubtreesContinuesTheSameTree() {
        List<byte[]> leaves = leaves(45);
        MemoryTree memory = new MemoryTree();
        leaves.subList(0, 29).forEach(memory::append);
        CompactRange resumed = CompactRange.of(29, (l, i) -> memory.nodes.get(l + "/" + i));
        assertThat(resumed.root()).isEqualTo(ReferenceMerkle.mth(leaves.subList(0, 29)));
        leaves.subList(29, 45).forEach(leaf -> resumed.append(leaf, (l, i, h) -> memory.nodes.put(l + "/" + i, h)));
        assertThat(resumed.root()).isEqualTo(ReferenceMerkle.mth(leaves));
        assertThat(memory.tree.root(45)).isEqualTo(ReferenceMerkle.mth(leaves));
    }

    @Test
    void proofsOutsideTheTreeAreRefused() {
        MemoryTree memory = new MemoryTree();
        leaves(5).forEach(memory::append);
        assertThatThrownBy(() -> memory.tree.inclusionProof(5, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> memory.tree.inclusionProof(-1, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> memory.tree.consistencyProof(4, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> memory.tree.consistencyProof(0, 3)).isInstanceOf(IllegalArgumentException.class);
    }
}
