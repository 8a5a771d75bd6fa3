package com.hsrcpay.apikeys.edge.json;

import com.hsrcpay.apikeys.edge.error.ApiError;
import com.hsrcpay.apikeys.edge.error.ApiException;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.json.AbstractJackson2HttpMessageConverter;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * JSON bodies are UTF-8, checked strictly before Jackson sees them: Jackson's own decoder accepts overlong forms
 * (so {@code C0 AF} would read as {@code /}), and a {@code charset} parameter would make Spring decode leniently
 * in that charset. So: another charset is 415, a byte sequence that is not UTF-8 is 400. Bodies are bounded by the
 * body-size limit, so reading one whole costs at most that.
 */
@ControllerAdvice
public class Utf8RequestBodies extends RequestBodyAdviceAdapter {

    @Override
    public boolean supports(MethodParameter parameter, Type targetType,
                            Class<? extends HttpMessageConverter<?>> converterType) {
        return AbstractJackson2HttpMessageConverter.class.isAssignableFrom(converterType);
    }

    @Override
    public HttpInputMessage beforeBodyRead(HttpInputMessage message, MethodParameter parameter, Type targetType,
                                           Class<? extends HttpMessageConverter<?>> converterType) throws IOException {
        MediaType contentType = message.getHeaders().getContentType();
        if (contentType != null && contentType.getCharset() != null
                && !StandardCharsets.UTF_8.equals(contentType.getCharset())) {
            throw new ApiException(new ApiError(415, "unsupported_charset", "JSON bodies are UTF-8",
                    Map.of("field", "Content-Type")));
        }
        byte[] body = message.getBody().readAllBytes();
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body));
        } catch (CharacterCodingException e) {
            throw ApiException.badRequest("body", "invalid_utf8", "The request body is not valid UTF-8");
        }
        return new HttpInputMessage() {
            @Override
            public InputStream getBody() {
                return new ByteArrayInputStream(body);
            }

            @Override
            public HttpHeaders getHeaders() {
                return message.getHeaders();
            }
        };
    }
}
