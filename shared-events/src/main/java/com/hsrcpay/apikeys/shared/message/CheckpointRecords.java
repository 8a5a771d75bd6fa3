package com.hsrcpay.apikeys.shared.message;

/**
 * Topic {@code api-key-checkpoints}: every signed checkpoint of the transparency log, record key = the log's origin,
 * value = the checkpoint's signed note as UTF-8 text (c2sp.org/tlog-checkpoint), header {@code content-type:
 * text/plain}. Kept forever and never compacted: the topic is the public history of the log's tree heads.
 */
public final class CheckpointRecords {

    public static final String TOPIC = "api-key-checkpoints";
    public static final String CONTENT_TYPE = KeyEventHeaders.CONTENT_TYPE;
    public static final String TEXT_PLAIN = "text/plain";

    private CheckpointRecords() {
    }
}
