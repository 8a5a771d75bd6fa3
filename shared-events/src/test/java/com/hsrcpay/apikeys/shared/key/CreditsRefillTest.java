package com.hsrcpay.apikeys.shared.key;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

/** When refills happen: daily at midnight UTC, monthly on the refill day or the month's last day. */
class CreditsRefillTest {

    private static final Credits.Refill DAILY = new Credits.Refill(Credits.Refill.Interval.DAILY, 10, null);

    private static Credits.Refill monthlyOn(int day) {
        return new Credits.Refill(Credits.Refill.Interval.MONTHLY, 10, day);
    }

    @Test
    void aDailyRefillIsTheNextMidnightUtcAndMidnightItselfMovesOn() {
        assertThat(DAILY.nextAfter(Instant.parse("2026-12-01T19:59:00Z"))).isEqualTo("2026-12-02T00:00:00Z");
        assertThat(DAILY.nextAfter(Instant.parse("2026-12-02T00:00:00Z"))).isEqualTo("2026-12-03T00:00:00Z");
        assertThat(DAILY.nextAfter(Instant.parse("2026-12-31T23:59:59.999Z"))).isEqualTo("2027-01-01T00:00:00Z");
    }

    @Test
    void aMonthlyRefillOnThe31stFallsOnTheLastDayOfShorterMonths() {
        Credits.Refill on31 = monthlyOn(31);
        assertThat(on31.nextAfter(Instant.parse("2027-01-31T00:00:00Z"))).isEqualTo("2027-02-28T00:00:00Z");
        assertThat(on31.nextAfter(Instant.parse("2028-02-01T00:00:00Z"))).as("a leap year")
                .isEqualTo("2028-02-29T00:00:00Z");
        assertThat(on31.nextAfter(Instant.parse("2027-02-28T00:00:00Z"))).isEqualTo("2027-03-31T00:00:00Z");
        assertThat(on31.nextAfter(Instant.parse("2027-04-15T12:00:00Z"))).isEqualTo("2027-04-30T00:00:00Z");
    }

    @Test
    void aMonthlyRefillWithoutADayIsOnTheFirst() {
        Credits.Refill first = new Credits.Refill(Credits.Refill.Interval.MONTHLY, 10, null);
        assertThat(first.refillDay()).isEqualTo(1);
        assertThat(first.nextAfter(Instant.parse("2026-12-01T00:00:00Z"))).isEqualTo("2027-01-01T00:00:00Z");
        assertThat(first.nextAfter(Instant.parse("2026-11-30T23:00:00Z"))).isEqualTo("2026-12-01T00:00:00Z");
    }

    @Test
    void theNextMonthlyRefillIsTheEarliestRefillInstantAfterTheGivenOne() {
        // any instant in 1970..2200, any refill day: the answer is later, at midnight UTC, on the (clamped) day,
        // and no refill instant lies between (the same rule a month earlier is not after the given instant)
        qt().forAll(longs().between(0, 7_258_118_400L), integers().between(1, 31)).checkAssert((seconds, day) -> {
            Instant instant = Instant.ofEpochSecond(seconds);
            Instant next = monthlyOn(day).nextAfter(instant);
            ZonedDateTime at = next.atZone(ZoneOffset.UTC);
            YearMonth month = YearMonth.from(at);
            assertThat(next).isAfter(instant);
            assertThat(at.toLocalTime().toSecondOfDay()).isZero();
            assertThat(at.getDayOfMonth()).isEqualTo(Math.min(day, month.lengthOfMonth()));
            YearMonth before = month.minusMonths(1);
            Instant previous = before.atDay(Math.min(day, before.lengthOfMonth())).atStartOfDay()
                    .toInstant(ZoneOffset.UTC);
            assertThat(previous).isBeforeOrEqualTo(instant);
        });
    }
}
