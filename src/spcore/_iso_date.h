/*
 * A date written YYYY-MM-DD, read in C: shared by the compiled proof of validity
 * (spcore/schemas/_check.c), which must accept no date the reference refuses, and the
 * compiled columns (spcore/aggregation/_fill.c), which turn a date into its day ordinal
 * as date.fromisoformat(text).toordinal() does. One reading of the calendar for both.
 */
#ifndef SPCORE_ISO_DATE_H
#define SPCORE_ISO_DATE_H

/* The number written by the ASCII digits text[from:to] in *out; 0 when one is not a digit. */
static inline int
iso_digits(const unsigned char *text, Py_ssize_t from, Py_ssize_t to, int *out)
{
    int number = 0;
    for (Py_ssize_t i = from; i < to; i++) {
        if (text[i] < '0' || text[i] > '9') {
            return 0;
        }
        number = number * 10 + (text[i] - '0');
    }
    *out = number;
    return 1;
}

static inline int
is_leap_year(int year)
{
    return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}

/* 1 with *year, *month and *day when the text is YYYY-MM-DD in ASCII digits and a real day
 * of the years 0001-9999 (date.fromisoformat's range); else 0. */
static inline int
iso_date(const unsigned char *text, Py_ssize_t length, int *year, int *month, int *day)
{
    static const int month_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (length != 10 || text[4] != '-' || text[7] != '-' || !iso_digits(text, 0, 4, year) ||
        !iso_digits(text, 5, 7, month) || !iso_digits(text, 8, 10, day)) {
        return 0;
    }
    if (*year < 1 || *month < 1 || *month > 12 || *day < 1) {
        return 0;
    }
    return *day <= month_days[*month - 1] + (*month == 2 && is_leap_year(*year));
}

/* date(year, month, day).toordinal(), for a day iso_date accepted. */
static inline long long
iso_day_ordinal(int year, int month, int day)
{
    static const int before_month[] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
    long long y = year - 1;
    return y * 365 + y / 4 - y / 100 + y / 400 + before_month[month - 1] +
           (month > 2 && is_leap_year(year)) + day;
}

#endif
