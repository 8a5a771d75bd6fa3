package com.hsrcpay.apikeys.transparency.note;

/** A key, a note or a checkpoint that is not in its published format, or a note no trusted key signed. */
public class NoteFormatException extends IllegalArgumentException {

    public NoteFormatException(String message) {
        super(message);
    }

    public NoteFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
