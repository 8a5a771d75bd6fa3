package com.hsrcpay.apikeys.edge.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.hsrcpay.apikeys.edge.error.ErrorResponses;
import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import java.util.Collections;

import static org.assertj.core.api.Assertions.assertThat;

class HeaderRulesTest {

    private final HeaderRules rules = new HeaderRules(new ErrorResponses(new ObjectMapper()));

    @Test
    void aHeaderReadOnceThatIsSentTwiceIsRefused() throws Exception {
        for (String header : HeaderRules.HEADERS) {
            if (header.equals("Content-Type")) {
                continue; // the mock request keeps one Content-Type whatever is added; Tomcat keeps both
            }
            MockHttpServletRequest request = new MockHttpServletRequest("GET", "/v1/whoami");
            request.addHeader(header, "first");
            request.addHeader(header, "second");
            MockHttpServletResponse response = new MockHttpServletResponse();
            MockFilterChain chain = new MockFilterChain();
            rules.doFilter(request, response, chain);
            assertThat(response.getStatus()).as(header).isEqualTo(400);
            assertThat(response.getContentAsString()).contains("duplicate_header", header);
            assertThat(chain.getRequest()).as("never reaches the application").isNull();
        }
    }

    @Test
    void aBlankAcceptIsNoAcceptAndOtherRequestsPassUnchanged() throws Exception {
        MockHttpServletRequest blank = new MockHttpServletRequest("GET", "/actuator/prometheus");
        blank.addHeader("Accept", " ");
        blank.addHeader("Authorization", "Bearer x");
        MockFilterChain chain = new MockFilterChain();
        rules.doFilter(blank, new MockHttpServletResponse(), chain);
        HttpServletRequest passed = (HttpServletRequest) chain.getRequest();
        assertThat(passed.getHeader("Accept")).isNull();
        assertThat(passed.getHeaders("accept").hasMoreElements()).isFalse();
        assertThat(Collections.list(passed.getHeaderNames())).doesNotContain("Accept").contains("Authorization");

        MockHttpServletRequest plain = new MockHttpServletRequest("GET", "/v1/whoami");
        plain.addHeader("Accept", "application/json");
        MockFilterChain plainChain = new MockFilterChain();
        rules.doFilter(plain, new MockHttpServletResponse(), plainChain);
        assertThat(plainChain.getRequest()).isSameAs(plain);
    }
}
