/*
 * A line of JSON parsed to Python objects, for spcore/cases/_screens.c's read_run.
 *
 * What orjson.loads does for a worker's quick reading, and what the quick reading then
 * checks of the line, in one pass: a line is parsed to the dicts, lists, strings,
 * numbers and literals Python's json module (the reference) would give, or not parsed
 * at all ("not quickly": the line goes to the Python reading, which reads it as before).
 * It is not parsed when it holds anything the reference might read differently or
 * report on: an escape (a backslash), a control character in a string, text that is
 * not UTF-8, a date in year 0000 (any "0000-" in a string), a name given twice in an
 * object, NaN or Infinity, a number that is not an integer of at most 18 digits or a
 * finite float, nesting deeper than MAX_NESTING, a value that is not an object at the
 * top, or any JSON syntax error.
 *
 * Text is shared, not made afresh each time: each name and short string is looked up
 * first among the vocabulary the Parser is given (the schema's names and codes, as the
 * interned objects the compiled screens and fill look names up with, so their lookups
 * meet the very same object), then in a cache of the short strings seen lately. A
 * shared string also keeps its hash, so it is hashed once, not once a record.
 *
 * Numbers are read as the reference reads them: an integer from its digits, a float by
 * PyOS_string_to_double (what float() uses) from the number's text. A float that
 * overflows to infinity is left to the Python reading, as orjson refuses it.
 */

#include <math.h>

#include "../_iso_date.h"
#include "../_packed_contact.h"

/* Deeper than this (objects and arrays within each other), a line is not parsed here;
 * a case record nests six deep. */
#define MAX_NESTING 64
/* Strings of at most this many bytes are shared. */
#define SHARED_BYTES 32
/* Entries of the cache of recent short strings (a power of two). */
#define RECENT 4096
/* Places whose last name is remembered (a power of two). */
#define EXPECTED 1024
/* The most digits read as an integer here (below 2**63 whatever they are). */
#define MAX_DIGITS 18
/* The longest number text read as a float here. */
#define MAX_NUMBER_TEXT 64

/* One shared string: its bytes held here, so a look costs one cache line (64 bytes). */
typedef struct {
    uint64_t hash;
    Py_ssize_t size;
    PyObject *text;
    char bytes[SHARED_BYTES]; /* the UTF-8 of text */
    char unused[64 - 3 * 8 - SHARED_BYTES];
} Shared;

typedef struct {
    PyObject_HEAD
    PyObject *vocabulary; /* a tuple of the str objects given */
    Shared *known;        /* the vocabulary, open addressing */
    size_t known_mask;
    Shared *recent; /* RECENT entries, one string each */
    Shared *expected; /* EXPECTED entries: the name last read at a place (see read_name) */
    /* The contacts lane (see above); off when lane_types is NULL. */
    PyObject *lane_support, *lane_contacts; /* the vocabulary's names, met by identity */
    PyObject *lane_types, *lane_units;      /* tuples of the codes packed */
    Py_ssize_t lane_most;                   /* most contacts packed (the schema's maxItems) */
    long long lane_largest;                 /* largest duration value packed */
    PackedContact *packed;                  /* the contacts of the last record read by the lane */
    Py_ssize_t n_packed, packed_room;
    int lane_used; /* whether the last line parsed had its contacts read by the lane */
} Parser;

static PyTypeObject ParserType;

/* A parse that could not vouch for the line (no exception set). */
#define NOT_QUICKLY NULL

static uint64_t
text_hash(const char *bytes, Py_ssize_t size)
{
    uint64_t hash = 0xcbf29ce484222325u ^ (uint64_t)size;
    Py_ssize_t at = 0;
    for (; at + 8 <= size; at += 8) {
        uint64_t word;
        memcpy(&word, bytes + at, 8);
        hash = (hash ^ word) * 0x100000001b3u;
        hash ^= hash >> 29;
    }
    uint64_t tail = 0; /* built in a register: a store of a few bytes read back whole stalls */
    for (Py_ssize_t last = size - 1; last >= at; last--) {
        tail = (tail << 8) | (unsigned char)bytes[last];
    }
    hash = (hash ^ tail) * 0x100000001b3u;
    /* mixed so that the low bits, which pick a slot, depend on every byte (murmur3's fmix64) */
    hash ^= hash >> 33;
    hash *= 0xff51afd7ed558ccdu;
    hash ^= hash >> 33;
    hash *= 0xc4ceb9fe1a85ec53u;
    return hash ^ (hash >> 33);
}

/* True when the text holds "0000-" (a date the compiled check and the reference read apart). */
static int
holds_year_zero(const char *bytes, Py_ssize_t size)
{
    if (size < 5) {
        return 0;
    }
    const char *end = bytes + size;
    for (const char *at = bytes + 4; at < end; at++) {
        at = memchr(at, '-', (size_t)(end - at));
        if (at == NULL) {
            return 0;
        }
        if (memcmp(at - 4, "0000", 4) == 0) {
            return 1;
        }
    }
    return 0;
}

/* Whether two texts of `size` bytes are the same, word by word (no call for short text). */
static inline int
same_bytes(const char *a, const char *b, Py_ssize_t size)
{
    Py_ssize_t at = 0;
    for (; at + 8 <= size; at += 8) {
        uint64_t x, y;
        memcpy(&x, a + at, 8);
        memcpy(&y, b + at, 8);
        if (x != y) {
            return 0;
        }
    }
    for (; at < size; at++) {
        if (a[at] != b[at]) {
            return 0;
        }
    }
    return 1;
}

/* The shared string with these bytes (borrowed), or NULL. */
static PyObject *
shared_text(Parser *self, const char *bytes, Py_ssize_t size, uint64_t hash)
{
    for (size_t at = (size_t)hash & self->known_mask;; at = (at + 1) & self->known_mask) {
        Shared *entry = &self->known[at];
        if (entry->text == NULL) {
            break;
        }
        if (entry->hash == hash && entry->size == size && same_bytes(entry->bytes, bytes, size)) {
            return entry->text;
        }
    }
    Shared *entry = &self->recent[(size_t)(hash >> 20) & (RECENT - 1)];
    if (entry->text != NULL && entry->hash == hash && entry->size == size &&
        same_bytes(entry->bytes, bytes, size)) {
        return entry->text;
    }
    return NULL;
}

/* The UTF-8 of a str object, and its size; NULL when it has none (a lone surrogate). */
static const char *
utf8_of(PyObject *text, Py_ssize_t *size)
{
    const char *bytes = PyUnicode_AsUTF8AndSize(text, size);
    if (bytes == NULL) {
        PyErr_Clear();
    }
    return bytes;
}

/* A str from UTF-8 (new reference): NULL with no error when it is not UTF-8. */
static PyObject *
new_text(const char *bytes, Py_ssize_t size, int ascii)
{
    if (ascii) {
        PyObject *text = PyUnicode_New(size, 127);
        if (text != NULL) {
            memcpy(PyUnicode_DATA(text), bytes, (size_t)size);
        }
        return text;
    }
    PyObject *text = PyUnicode_DecodeUTF8(bytes, size, NULL);
    if (text == NULL && PyErr_ExceptionMatches(PyExc_UnicodeDecodeError)) {
        PyErr_Clear(); /* not UTF-8: the reference reports it */
    }
    return text;
}

typedef struct {
    Parser *parser;
    const char *at, *end;
    int depth;
    int lane; /* whether the contacts lane may read this line's contacts */
} Reading;

#if defined(__SSE2__) || defined(_M_X64)
#include <emmintrin.h>
#define HAVE_VECTOR_SCAN 1

/* The index of the lowest set bit of a nonzero mask. */
static inline int
first_bit(int mask)
{
#if defined(__GNUC__) || defined(__clang__)
    return __builtin_ctz((unsigned)mask);
#else
    int at = 0;
    while (!(mask & 1)) {
        mask >>= 1;
        at++;
    }
    return at;
#endif
}
#else
#define HAVE_VECTOR_SCAN 0
#endif

/* Byte classes within a string: 0 plain, 1 ends or stops it, 2 part of a multi-byte character. */
static unsigned char byte_class[256];

static void
fill_byte_classes(void)
{
    for (int c = 0; c < 256; c++) {
        byte_class[c] = c < 0x20 || c == '"' || c == '\\' ? 1 : c >= 0x80 ? 2 : 0;
    }
}

static void
skip_space(Reading *r)
{
    while (r->at < r->end && (*r->at == ' ' || *r->at == '\t' || *r->at == '\n' || *r->at == '\r')) {
        r->at++;
    }
}

/* After a member or an item: 1 when a ',' follows (moved past it and the space after it), 0
 * when `close` does (moved past it), -1 for anything else. */
static inline int
next_or_close(Reading *r, char close)
{
    skip_space(r);
    if (r->at < r->end && *r->at == ',') {
        r->at++;
        skip_space(r);
        return 1;
    }
    if (r->at < r->end && *r->at == close) {
        r->at++;
        return 0;
    }
    return -1;
}

/* A string from just after its opening quote (new reference); NOT_QUICKLY or an error. */
static PyObject *
read_string(Reading *r)
{
    const unsigned char *start = (const unsigned char *)r->at, *at = start;
    const unsigned char *end = (const unsigned char *)r->end;
    int ascii = 1;
    for (;;) {
#if HAVE_VECTOR_SCAN
        /* 16 bytes at a time while 16 remain: a quote, a backslash, or (as signed bytes)
         * anything below 0x20, which takes in every byte from 0x80 up. */
        while (end - at >= 16) {
            __m128i block = _mm_loadu_si128((const __m128i *)(const void *)at);
            __m128i stop = _mm_or_si128(
                _mm_or_si128(_mm_cmpeq_epi8(block, _mm_set1_epi8('"')),
                             _mm_cmpeq_epi8(block, _mm_set1_epi8('\\'))),
                _mm_cmplt_epi8(block, _mm_set1_epi8(0x20)));
            int mask = _mm_movemask_epi8(stop);
            if (mask != 0) {
                at += first_bit(mask);
                break;
            }
            at += 16;
        }
#endif
        while (at < end && byte_class[*at] == 0) {
            at++;
        }
        if (at >= end || byte_class[*at] == 1) {
            break;
        }
        ascii = 0; /* part of a multi-byte character: read on */
        at++;
    }
    if (at >= end || *at != '"') {
        return NOT_QUICKLY; /* an escape, a control character, or no end */
    }
    const char *bytes = (const char *)start;
    Py_ssize_t size = (Py_ssize_t)(at - start);
    r->at = (const char *)at + 1;
    if (size > SHARED_BYTES) {
        if (holds_year_zero(bytes, size)) {
            return NOT_QUICKLY;
        }
        return new_text(bytes, size, ascii);
    }
    uint64_t hash = text_hash(bytes, size);
    PyObject *found = shared_text(r->parser, bytes, size, hash);
    if (found != NULL) {
        return Py_NewRef(found);
    }
    if (holds_year_zero(bytes, size)) {
        return NOT_QUICKLY;
    }
    PyObject *text = new_text(bytes, size, ascii);
    if (text == NULL) {
        return NULL;
    }
    Shared *entry = &r->parser->recent[(size_t)(hash >> 20) & (RECENT - 1)];
    Py_XSETREF(entry->text, Py_NewRef(text));
    entry->hash = hash;
    entry->size = size;
    memcpy(entry->bytes, bytes, (size_t)size); /* the UTF-8 the text was decoded from */
    return text;
}

static PyObject *read_value(Reading *r, PyObject *context);

/* A number (new reference); NOT_QUICKLY or an error. The grammar is JSON's, which the
 * reference's is: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][-+]?[0-9]+)? */
static PyObject *
read_number(Reading *r)
{
    const char *start = r->at, *at = start, *end = r->end;
    int negative = at < end && *at == '-';
    at += negative;
    const char *digits = at;
    if (at < end && *at == '0') {
        at++;
    }
    else {
        while (at < end && *at >= '0' && *at <= '9') {
            at++;
        }
    }
    Py_ssize_t count = at - digits;
    if (count == 0) {
        return NOT_QUICKLY;
    }
    int whole = 1;
    if (at < end && *at == '.') {
        whole = 0;
        const char *fraction = ++at;
        while (at < end && *at >= '0' && *at <= '9') {
            at++;
        }
        if (at == fraction) {
            return NOT_QUICKLY;
        }
    }
    if (at < end && (*at == 'e' || *at == 'E')) {
        whole = 0;
        at++;
        if (at < end && (*at == '+' || *at == '-')) {
            at++;
        }
        const char *exponent = at;
        while (at < end && *at >= '0' && *at <= '9') {
            at++;
        }
        if (at == exponent) {
            return NOT_QUICKLY;
        }
    }
    if (at < end && *at >= '0' && *at <= '9') {
        return NOT_QUICKLY; /* a leading zero followed by digits */
    }
    r->at = at;
    if (whole) {
        if (count > MAX_DIGITS) {
            return NOT_QUICKLY;
        }
        long long value = 0;
        for (const char *d = digits; d < digits + count; d++) {
            value = value * 10 + (*d - '0');
        }
        return PyLong_FromLongLong(negative ? -value : value);
    }
    Py_ssize_t size = at - start;
    if (size > MAX_NUMBER_TEXT) {
        return NOT_QUICKLY;
    }
    char text[MAX_NUMBER_TEXT + 1];
    memcpy(text, start, (size_t)size);
    text[size] = '\0';
    char *stop;
    double value = PyOS_string_to_double(text, &stop, NULL);
    if (value == -1.0 && PyErr_Occurred()) {
        return NULL;
    }
    if (stop != text + size || !isfinite(value)) {
        return NOT_QUICKLY;
    }
    return PyFloat_FromDouble(value);
}

/*
 * A member's name, from just after its opening quote (new reference); NOT_QUICKLY or an
 * error. Objects in one place are written with the same names in the same order (every
 * contact of a record, every record of an extract), so the name read last at this place
 * (the name this object is the value of, and the member's position) is tried first: when
 * the line's next bytes are its bytes and then a quote, it is that name, found with one
 * comparison. Its bytes were read as a name before, so they hold nothing that stops a
 * quick reading. Otherwise the name is read as any string is, and remembered here.
 */
static PyObject *
read_name(Reading *r, PyObject *context, Py_ssize_t position)
{
    uint64_t mix = (uint64_t)(uintptr_t)context * 0x9e3779b97f4a7c15u ^
                   (uint64_t)(position + 1) * 0xc2b2ae3d27d4eb4fu;
    Shared *entry = &r->parser->expected[(size_t)(mix >> 40) & (EXPECTED - 1)];
    Py_ssize_t size = entry->size;
    if (entry->text != NULL && r->end - r->at > size && r->at[size] == '"' &&
        same_bytes(r->at, entry->bytes, size)) {
        r->at += size + 1;
        return Py_NewRef(entry->text);
    }
    const char *start = r->at;
    PyObject *name = read_string(r);
    size = r->at - 1 - start;
    if (name != NULL && size <= SHARED_BYTES) {
        Py_XSETREF(entry->text, Py_NewRef(name));
        entry->size = size;
        memcpy(entry->bytes, start, (size_t)size);
    }
    return name;
}

/* -- the contacts lane ------------------------------------------------------------------ */

static int literal(Reading *r, const char *word, size_t size);

/* The index among `names` of the name at r->at (quoted, no escape), moving past it; -1 (not
 * moved) for any other. */
static int
lane_name(Reading *r, const char *const *names, int count)
{
    if (r->at >= r->end || *r->at != '"') {
        return -1;
    }
    const char *text = r->at + 1;
    for (int i = 0; i < count; i++) {
        size_t size = strlen(names[i]);
        if ((size_t)(r->end - text) > size && memcmp(text, names[i], size) == 0 &&
            text[size] == '"') {
            r->at = text + size + 1;
            return i;
        }
    }
    return -1;
}

/* The code of `codes` (a tuple of str) written at r->at (quoted, exactly), borrowed; NULL
 * (no error) for any other text. */
static PyObject *
lane_code(Reading *r, PyObject *codes)
{
    if (r->at >= r->end || *r->at != '"') {
        return NULL;
    }
    const char *text = r->at + 1;
    const char *end = memchr(text, '"', (size_t)(r->end - text));
    if (end == NULL) {
        return NULL;
    }
    Py_ssize_t size = end - text;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(codes); i++) {
        PyObject *code = PyTuple_GET_ITEM(codes, i);
        /* ASCII, checked when the parser was made: its UTF-8 is its data */
        if (PyUnicode_GET_LENGTH(code) == size &&
            memcmp(PyUnicode_1BYTE_DATA(code), text, (size_t)size) == 0) {
            r->at = end + 1;
            return code;
        }
    }
    return NULL;
}

/* A date "YYYY-MM-DD" at r->at as its day ordinal (as date.fromisoformat gives it); 0 (not
 * moved) for anything else, a year 0000 included. */
static int
lane_date(Reading *r, long long *day)
{
    const unsigned char *text = (const unsigned char *)r->at;
    int year, month, date;
    if (r->end - r->at < 12 || text[0] != '"' || text[11] != '"' ||
        !iso_date(text + 1, 10, &year, &month, &date)) {
        return 0;
    }
    *day = iso_day_ordinal(year, month, date);
    r->at += 12;
    return 1;
}

/* A whole number at r->at, digits only, no larger than `largest`; 0 (not moved) otherwise. */
static int
lane_whole(Reading *r, long long largest, double *value)
{
    const char *at = r->at;
    long long number = 0;
    int digits = 0;
    while (at < r->end && *at >= '0' && *at <= '9' && digits < MAX_DIGITS) {
        number = number * 10 + (*at++ - '0');
        digits++;
    }
    if (digits == 0 || (digits > 1 && r->at[0] == '0') || number > largest ||
        (at < r->end && ((*at >= '0' && *at <= '9') || *at == '.' || *at == 'e' || *at == 'E'))) {
        return 0;
    }
    *value = (double)number;
    r->at = at;
    return 1;
}

/* skip_space, then `mark`, then skip_space; 0 when `mark` is not there. */
static int
lane_mark(Reading *r, char mark)
{
    skip_space(r);
    if (r->at >= r->end || *r->at != mark) {
        return 0;
    }
    r->at++;
    skip_space(r);
    return 1;
}

/* The members of an object from just after its '{', each read by `member`, which is given
 * the index of its name among `names`; each name at most once. The mask of the names read,
 * or -1 when the object is not read (r->at then anywhere). */
typedef int (*LaneMember)(Reading *r, int which, PackedContact *contact);

static int
lane_object(Reading *r, const char *const *names, int count, LaneMember member,
            PackedContact *contact)
{
    int seen = 0;
    skip_space(r);
    for (;;) {
        int which = lane_name(r, names, count);
        if (which < 0 || (seen & (1 << which)) || !lane_mark(r, ':') ||
            !member(r, which, contact)) {
            return -1;
        }
        seen |= 1 << which;
        int next = next_or_close(r, '}');
        if (next > 0) {
            continue;
        }
        if (next == 0) {
            return seen;
        }
        return -1;
    }
}

static const char *const duration_names[] = {"value", "unit"};
static const char *const contact_names[] = {"date", "type", "duration"};

static int
duration_member(Reading *r, int which, PackedContact *contact)
{
    if (which == 0) {
        return lane_whole(r, r->parser->lane_largest, &contact->value);
    }
    contact->unit = lane_code(r, r->parser->lane_units);
    return contact->unit != NULL;
}

static int
contact_member(Reading *r, int which, PackedContact *contact)
{
    switch (which) {
    case 0:
        return lane_date(r, &contact->day);
    case 1:
        contact->type = lane_code(r, r->parser->lane_types);
        return contact->type != NULL;
    default:
        contact->unit = NULL;
        if (literal(r, "null", 4)) {
            return 1;
        }
        if (r->at >= r->end || *r->at != '{') {
            return 0;
        }
        r->at++;
        return lane_object(r, duration_names, 2, duration_member, contact) == 3;
    }
}

/* The contacts array at r->at ('['), packed: a new empty list to stand in for it, or NULL
 * with r->at where it was (and no error) when the lane does not read it, or with an error. */
static PyObject *
read_contacts(Reading *r)
{
    Parser *parser = r->parser;
    const char *start = r->at;
    Py_ssize_t count = 0;
    r->at++;
    skip_space(r);
    if (r->at < r->end && *r->at == ']') {
        goto not_here; /* no contacts: nothing to gain */
    }
    for (;;) {
        if (count == parser->lane_most || r->at >= r->end || *r->at != '{') {
            goto not_here;
        }
        if (count == parser->packed_room) {
            Py_ssize_t room = parser->packed_room ? 2 * parser->packed_room : 16;
            PackedContact *grown =
                PyMem_Realloc(parser->packed, (size_t)room * sizeof(PackedContact));
            if (grown == NULL) {
                PyErr_NoMemory();
                return NULL;
            }
            parser->packed = grown;
            parser->packed_room = room;
        }
        PackedContact *contact = &parser->packed[count];
        contact->unit = NULL;
        r->at++;
        int seen = lane_object(r, contact_names, 3, contact_member, contact);
        if (seen < 0 || (seen & 3) != 3) { /* date and type are required */
            goto not_here;
        }
        count++;
        int next = next_or_close(r, ']');
        if (next > 0) {
            continue;
        }
        if (next == 0) {
            break;
        }
        goto not_here;
    }
    parser->n_packed = count;
    parser->lane_used = 1;
    return PyList_New(0);
not_here:
    r->at = start;
    return NULL;
}

/* Whether the member `name` of the object being read, at r->at, is the contacts array the
 * lane may read: a record's support_offered.contacts. */
static inline int
lane_here(const Reading *r, PyObject *context, PyObject *name)
{
    return r->lane && name == r->parser->lane_contacts && context == r->parser->lane_support &&
           r->depth == 2 && r->at < r->end && *r->at == '[' && !r->parser->lane_used;
}

/* Members and items gathered before their dict or list is made at its size. */
#define GATHERED 64

/* An object from just after its '{' (new reference); NOT_QUICKLY or an error. */
static PyObject *
read_object(Reading *r, PyObject *context)
{
    PyObject *names[GATHERED], *values[GATHERED];
    Py_ssize_t count = 0;
    PyObject *object = NULL;
    skip_space(r);
    if (r->at < r->end && *r->at == '}') {
        r->at++;
        return PyDict_New();
    }
    for (;;) {
        if (count == GATHERED || r->at >= r->end || *r->at != '"') {
            goto stop; /* more members than a record's object has: left to Python */
        }
        r->at++;
        PyObject *name = read_name(r, context, count);
        if (name == NULL) {
            goto stop;
        }
        skip_space(r);
        if (r->at >= r->end || *r->at != ':') {
            Py_DECREF(name);
            goto stop;
        }
        r->at++;
        skip_space(r);
        PyObject *value = NULL;
        if (lane_here(r, context, name)) {
            value = read_contacts(r);
            if (value == NULL && PyErr_Occurred()) {
                Py_DECREF(name);
                goto stop;
            }
        }
        if (value == NULL) {
            value = read_value(r, name);
        }
        if (value == NULL) {
            Py_DECREF(name);
            goto stop;
        }
        names[count] = name;
        values[count++] = value;
        int next = next_or_close(r, '}');
        if (next > 0) {
            continue;
        }
        if (next == 0) {
            break;
        }
        goto stop;
    }
    /* Not presized (_PyDict_NewPresized): its table takes keys of any type, and every
     * lookup in it then costs more; a dict made empty keeps str keys in a str table. */
    object = PyDict_New();
    for (Py_ssize_t i = 0; object != NULL && i < count; i++) {
        if (PyDict_SetItem(object, names[i], values[i]) < 0) {
            Py_CLEAR(object);
        }
    }
    if (object != NULL && PyDict_GET_SIZE(object) != count) {
        Py_CLEAR(object); /* a name given twice: the reference reports it */
    }
stop: /* NULL unless made; an error stays set */
    for (Py_ssize_t i = 0; i < count; i++) {
        Py_DECREF(names[i]);
        Py_DECREF(values[i]);
    }
    return object;
}

/* An array from just after its '[' (new reference); NOT_QUICKLY or an error. Its first
 * GATHERED items are gathered; a longer array goes on in a list. */
static PyObject *
read_array(Reading *r, PyObject *context)
{
    PyObject *items[GATHERED];
    Py_ssize_t count = 0;
    PyObject *array = NULL; /* once the gathered items are moved into it */
    skip_space(r);
    if (r->at < r->end && *r->at == ']') {
        r->at++;
        return PyList_New(0);
    }
    for (;;) {
        PyObject *value = read_value(r, context);
        if (value == NULL) {
            goto stop;
        }
        if (count == GATHERED) {
            array = PyList_New(count);
            if (array == NULL) {
                Py_DECREF(value);
                goto stop;
            }
            for (Py_ssize_t i = 0; i < count; i++) {
                PyList_SET_ITEM(array, i, items[i]);
            }
            count = 0;
        }
        if (array != NULL) {
            int failed = PyList_Append(array, value);
            Py_DECREF(value);
            if (failed < 0) {
                goto stop;
            }
        }
        else {
            items[count++] = value;
        }
        int next = next_or_close(r, ']');
        if (next > 0) {
            continue;
        }
        if (next == 0) {
            break;
        }
        goto stop;
    }
    if (array != NULL) {
        return array;
    }
    array = PyList_New(count);
    if (array != NULL) {
        for (Py_ssize_t i = 0; i < count; i++) {
            PyList_SET_ITEM(array, i, items[i]);
        }
        return array;
    }
stop:
    for (Py_ssize_t i = 0; i < count; i++) {
        Py_DECREF(items[i]);
    }
    Py_XDECREF(array);
    return NULL;
}

static int
literal(Reading *r, const char *word, size_t size)
{
    if ((size_t)(r->end - r->at) >= size && memcmp(r->at, word, size) == 0) {
        r->at += size;
        return 1;
    }
    return 0;
}

/* A value at r->at (no space before it; new reference); NOT_QUICKLY or an error. `context`
 * is the name it is the value of (borrowed), or the name its array is the value of. */
static PyObject *
read_value(Reading *r, PyObject *context)
{
    if (r->at >= r->end) {
        return NOT_QUICKLY;
    }
    PyObject *value;
    switch (*r->at) {
    case '"':
        r->at++;
        return read_string(r);
    case '{':
    case '[':
        if (++r->depth > MAX_NESTING) {
            return NOT_QUICKLY;
        }
        r->at++;
        value = r->at[-1] == '{' ? read_object(r, context) : read_array(r, context);
        r->depth--;
        return value;
    case 't':
        return literal(r, "true", 4) ? Py_NewRef(Py_True) : NOT_QUICKLY;
    case 'f':
        return literal(r, "false", 5) ? Py_NewRef(Py_False) : NOT_QUICKLY;
    case 'n':
        return literal(r, "null", 4) ? Py_NewRef(Py_None) : NOT_QUICKLY;
    default:
        return read_number(r);
    }
}

/* The record on a line (a dict, new reference); NOT_QUICKLY or an error (set). */
static PyObject *
parse_line(Parser *parser, const char *text, Py_ssize_t size, int lane)
{
    Reading r = {parser, text, text + size, 0, lane && parser->lane_types != NULL};
    parser->lane_used = 0;
    parser->n_packed = 0;
    skip_space(&r);
    if (r.at >= r.end || *r.at != '{') {
        return NOT_QUICKLY;
    }
    PyObject *record = read_value(&r, NULL);
    if (record == NULL) {
        return NULL;
    }
    skip_space(&r);
    if (r.at != r.end) {
        Py_DECREF(record);
        return NOT_QUICKLY;
    }
    return record;
}

/* -- the Parser type --------------------------------------------------------------------- */

/* The codes of a tuple the lane packs: str, ASCII, no quote or backslash (a new reference to
 * the tuple), or NULL with an error. */
static PyObject *
lane_codes(PyObject *given, const char *what)
{
    PyObject *codes = PySequence_Tuple(given);
    for (Py_ssize_t i = 0; codes != NULL && i < PyTuple_GET_SIZE(codes); i++) {
        PyObject *code = PyTuple_GET_ITEM(codes, i);
        if (!PyUnicode_CheckExact(code) || !PyUnicode_IS_ASCII(code) ||
            PyUnicode_FindChar(code, '"', 0, PY_SSIZE_T_MAX, 1) != -1 ||
            PyUnicode_FindChar(code, '\\', 0, PY_SSIZE_T_MAX, 1) != -1) {
            PyErr_Format(PyExc_ValueError, "Parser(): the %s must be plain ASCII text", what);
            Py_CLEAR(codes);
        }
    }
    return codes;
}

/* The vocabulary's own object for `text` (borrowed), or NULL with an error. */
static PyObject *
known_name(Parser *self, const char *text)
{
    Py_ssize_t size = (Py_ssize_t)strlen(text);
    PyObject *found = shared_text(self, text, size, text_hash(text, size));
    if (found == NULL) {
        PyErr_Format(PyExc_ValueError, "Parser(): '%s' is not in the vocabulary", text);
    }
    return found;
}

/* The contacts lane set up from contacts=(types, units, most, largest); -1 with an error. */
static int
parser_lane(Parser *self, PyObject *lane)
{
    PyObject *types, *units;
    if (!PyArg_ParseTuple(lane, "OOnL:Parser contacts", &types, &units, &self->lane_most,
                          &self->lane_largest)) {
        return -1;
    }
    if (self->lane_most < 0 || self->lane_largest < 0) {
        PyErr_SetString(PyExc_ValueError, "Parser(): the contacts' bounds must not be negative");
        return -1;
    }
    self->lane_support = known_name(self, "support_offered");
    self->lane_contacts = self->lane_support == NULL ? NULL : known_name(self, "contacts");
    if (self->lane_contacts == NULL) {
        return -1;
    }
    self->lane_units = lane_codes(units, "units");
    self->lane_types = self->lane_units == NULL ? NULL : lane_codes(types, "contact types");
    return self->lane_types == NULL ? -1 : 0;
}

static PyObject *
parser_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    PyObject *given, *lane = Py_None;
    static char *names[] = {"vocabulary", "contacts", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|O:Parser", names, &given, &lane)) {
        return NULL;
    }
    PyObject *vocabulary = PySequence_Tuple(given);
    if (vocabulary == NULL) {
        return NULL;
    }
    Parser *self = (Parser *)type->tp_alloc(type, 0);
    if (self == NULL) {
        Py_DECREF(vocabulary);
        return NULL;
    }
    self->vocabulary = vocabulary;
    Py_ssize_t count = PyTuple_GET_SIZE(vocabulary);
    size_t slots = 16;
    /* At most a quarter full: every short string of a record is looked for here first, two
     * in five are not here (dates, mostly), and a search that fails reads about 1.4 slots
     * of 64 bytes, against 2.5 when half full. The parser's median went from 7.8 to 7.5 us
     * a record (seven runs each); an eighth full gained nothing more (benchmarks/README.md). */
    while (slots < (size_t)count * 4) {
        slots *= 2;
    }
    self->known = PyMem_Calloc(slots, sizeof(Shared));
    self->recent = PyMem_Calloc(RECENT, sizeof(Shared));
    self->expected = PyMem_Calloc(EXPECTED, sizeof(Shared));
    if (self->known == NULL || self->recent == NULL || self->expected == NULL) {
        Py_DECREF(self);
        return PyErr_NoMemory();
    }
    self->known_mask = slots - 1;
    for (Py_ssize_t i = 0; i < count; i++) {
        PyObject *text = PyTuple_GET_ITEM(vocabulary, i);
        if (!PyUnicode_CheckExact(text)) {
            PyErr_SetString(PyExc_TypeError, "Parser(): the vocabulary must be str");
            Py_DECREF(self);
            return NULL;
        }
        Py_ssize_t size;
        const char *bytes = utf8_of(text, &size);
        /* Text that could not be on a quickly parsed line is never looked for. */
        if (bytes == NULL || size > SHARED_BYTES || holds_year_zero(bytes, size) ||
            memchr(bytes, '\\', (size_t)size) != NULL || memchr(bytes, '"', (size_t)size) != NULL) {
            continue;
        }
        int control = 0;
        for (Py_ssize_t c = 0; c < size; c++) {
            control |= (unsigned char)bytes[c] < 0x20;
        }
        if (control) {
            continue;
        }
        uint64_t hash = text_hash(bytes, size);
        if (shared_text(self, bytes, size, hash) != NULL) {
            continue; /* given twice */
        }
        size_t at = (size_t)hash & self->known_mask;
        while (self->known[at].text != NULL) {
            at = (at + 1) & self->known_mask;
        }
        Shared *entry = &self->known[at]; /* the tuple owns its text */
        entry->hash = hash;
        entry->size = size;
        entry->text = text;
        memcpy(entry->bytes, bytes, (size_t)size);
    }
    if (lane != Py_None && parser_lane(self, lane) < 0) {
        Py_DECREF(self);
        return NULL;
    }
    return (PyObject *)self;
}

static int
parser_traverse(Parser *self, visitproc visit, void *arg)
{
    Py_VISIT(self->vocabulary);
    Py_VISIT(self->lane_types);
    Py_VISIT(self->lane_units);
    return 0;
}

static int
parser_clear(Parser *self)
{
    if (self->recent != NULL) {
        for (size_t i = 0; i < RECENT; i++) {
            Py_CLEAR(self->recent[i].text);
        }
    }
    if (self->expected != NULL) {
        for (size_t i = 0; i < EXPECTED; i++) {
            Py_CLEAR(self->expected[i].text);
        }
    }
    if (self->known != NULL) {
        memset(self->known, 0, (self->known_mask + 1) * sizeof(Shared));
    }
    Py_CLEAR(self->vocabulary);
    Py_CLEAR(self->lane_types);
    Py_CLEAR(self->lane_units);
    self->lane_support = self->lane_contacts = NULL;
    return 0;
}

static void
parser_dealloc(Parser *self)
{
    PyObject_GC_UnTrack(self);
    parser_clear(self);
    PyMem_Free(self->known);
    PyMem_Free(self->recent);
    PyMem_Free(self->expected);
    PyMem_Free(self->packed);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

/* parser(line) -> the record, or None when the line is not parsed here. */
static PyObject *
parser_call(PyObject *self, PyObject *args, PyObject *kwargs)
{
    Py_buffer line;
    if (kwargs != NULL && PyDict_GET_SIZE(kwargs)) {
        PyErr_SetString(PyExc_TypeError, "a Parser takes no keyword arguments");
        return NULL;
    }
    if (!PyArg_ParseTuple(args, "y*:Parser", &line)) {
        return NULL;
    }
    PyObject *record = parse_line((Parser *)self, line.buf, line.len, 0);
    PyBuffer_Release(&line);
    if (record == NULL && !PyErr_Occurred()) {
        Py_RETURN_NONE;
    }
    return record;
}

/* The contacts the lane packed for the last line, as bytes of PackedContact (for the fill). */
static PyObject *
packed_contacts(Parser *self)
{
    return PyBytes_FromStringAndSize((const char *)self->packed,
                                     self->n_packed * (Py_ssize_t)sizeof(PackedContact));
}

/* parser.with_contacts(line) -> (record or None, the contacts the lane read or None): the
 * lane's reading of a line, for tests; each contact as (day, type, unit, value). */
static PyObject *
parser_with_contacts(Parser *self, PyObject *arg)
{
    Py_buffer line;
    if (PyObject_GetBuffer(arg, &line, PyBUF_SIMPLE) < 0) {
        return NULL;
    }
    PyObject *record = parse_line(self, line.buf, line.len, 1);
    PyBuffer_Release(&line);
    if (record == NULL) {
        if (PyErr_Occurred()) {
            return NULL;
        }
        record = Py_NewRef(Py_None);
    }
    PyObject *contacts = Py_None;
    if (self->lane_used && record != Py_None) { /* a line not parsed here packs nothing */
        contacts = PyList_New(self->n_packed);
        for (Py_ssize_t i = 0; contacts != NULL && i < self->n_packed; i++) {
            const PackedContact *c = &self->packed[i];
            PyObject *item = c->unit == NULL
                ? Py_BuildValue("(LOOO)", c->day, c->type, Py_None, Py_None)
                : Py_BuildValue("(LOOd)", c->day, c->type, c->unit, c->value);
            if (item == NULL) {
                Py_CLEAR(contacts);
                break;
            }
            PyList_SET_ITEM(contacts, i, item);
        }
        if (contacts == NULL) {
            Py_DECREF(record);
            return NULL;
        }
    }
    else {
        Py_INCREF(contacts);
    }
    return Py_BuildValue("(NN)", record, contacts);
}

static PyMethodDef parser_methods[] = {
    {"with_contacts", (PyCFunction)parser_with_contacts, METH_O,
     PyDoc_STR("with_contacts(line) -> (the record or None, the contacts the lane read or None)")},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject ParserType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "spcore.cases._screens.Parser",
    .tp_doc = PyDoc_STR("Parser(vocabulary, contacts=None): parser(line) -> the record on a "
                        "line of JSON, or None when it is left to the Python reading; "
                        "contacts=(types, units, most, largest) sets up the contacts lane."),
    .tp_basicsize = sizeof(Parser),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_new = parser_new,
    .tp_call = parser_call,
    .tp_methods = parser_methods,
    .tp_traverse = (traverseproc)parser_traverse,
    .tp_clear = (inquiry)parser_clear,
    .tp_dealloc = (destructor)parser_dealloc,
};
