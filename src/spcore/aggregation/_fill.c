/*
 * spcore.aggregation._fill: a case record's JSON data appended to columns, compiled.
 *
 * The same work as the ``add_record`` closure of spcore/aggregation/columns.py,
 * value for value, for the records an extract's workers have already checked
 * (dicts and lists as orjson builds them). That closure stays the definition:
 * the reference reading uses it, the chunked reading uses this, and the tests
 * hold the two equal (tests/aggregation/test_compiled_fill.py and the
 * extract-reading equivalence tests). Without a C compiler spcore installs
 * without this module and the closure does all the work.
 *
 * Column: a typed, growable array ('b', 'i', 'q' or 'd', as array.array writes
 * them) with append, len, typecode and the buffer protocol, so NumPy can read it.
 * Adder: the closure, given the columns and the code tables by name.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "../_iso_date.h"
#include "../_packed_contact.h"
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* ------------------------------------------------------------------ Column */

typedef struct {
    PyObject_HEAD
    char typecode;
    Py_ssize_t itemsize;
    Py_ssize_t length;
    Py_ssize_t capacity;
    char *data;
    Py_ssize_t exports;
    char format[2];
} Column;

static PyTypeObject ColumnType;

static int
column_reserve(Column *self)
{
    if (self->length < self->capacity) {
        return 0;
    }
    if (self->exports > 0) {
        PyErr_SetString(PyExc_BufferError,
                        "cannot append to a column while its memory is shared");
        return -1;
    }
    Py_ssize_t capacity = self->capacity ? self->capacity * 2 : 1024;
    char *data = PyMem_Realloc(self->data, (size_t)(capacity * self->itemsize));
    if (data == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    self->data = data;
    self->capacity = capacity;
    return 0;
}

/* An integer appended, refused as array.array refuses one out of its type's range. */
static int
column_put_long(Column *self, long long value)
{
    if (column_reserve(self) < 0) {
        return -1;
    }
    char *at = self->data + self->length * self->itemsize;
    switch (self->typecode) {
    case 'b':
        if (value < SCHAR_MIN || value > SCHAR_MAX) {
            PyErr_SetString(PyExc_OverflowError, "value out of range for a 'b' column");
            return -1;
        }
        *(signed char *)at = (signed char)value;
        break;
    case 'i':
        if (value < INT_MIN || value > INT_MAX) {
            PyErr_SetString(PyExc_OverflowError, "value out of range for an 'i' column");
            return -1;
        }
        *(int *)at = (int)value;
        break;
    case 'q':
        *(long long *)at = value;
        break;
    default:
        *(double *)at = (double)value;
    }
    self->length++;
    return 0;
}

static int
column_put_double(Column *self, double value)
{
    if (self->typecode != 'd') {
        PyErr_SetString(PyExc_TypeError, "a float appended to a column of integers");
        return -1;
    }
    if (column_reserve(self) < 0) {
        return -1;
    }
    ((double *)self->data)[self->length++] = value;
    return 0;
}

static PyObject *
column_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    static char *keywords[] = {"typecode", NULL};
    const char *typecode;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "s", keywords, &typecode)) {
        return NULL;
    }
    Py_ssize_t itemsize;
    if (strcmp(typecode, "b") == 0) {
        itemsize = sizeof(signed char);
    }
    else if (strcmp(typecode, "i") == 0) {
        itemsize = sizeof(int);
    }
    else if (strcmp(typecode, "q") == 0) {
        itemsize = sizeof(long long);
    }
    else if (strcmp(typecode, "d") == 0) {
        itemsize = sizeof(double);
    }
    else {
        PyErr_Format(PyExc_ValueError, "no column of typecode %R", PyTuple_GET_ITEM(args, 0));
        return NULL;
    }
    Column *self = (Column *)type->tp_alloc(type, 0);
    if (self == NULL) {
        return NULL;
    }
    self->typecode = typecode[0];
    self->format[0] = typecode[0];
    self->format[1] = '\0';
    self->itemsize = itemsize;
    return (PyObject *)self;
}

static void
column_dealloc(Column *self)
{
    PyMem_Free(self->data);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *
column_append(Column *self, PyObject *value)
{
    if (self->typecode == 'd') {
        double number = PyFloat_AsDouble(value);
        if (number == -1.0 && PyErr_Occurred()) {
            return NULL;
        }
        if (column_put_double(self, number) < 0) {
            return NULL;
        }
    }
    else {
        long long number = PyLong_AsLongLong(value);
        if (number == -1 && PyErr_Occurred()) {
            return NULL;
        }
        if (column_put_long(self, number) < 0) {
            return NULL;
        }
    }
    Py_RETURN_NONE;
}

static Py_ssize_t
column_len(Column *self)
{
    return self->length;
}

static PyObject *
column_typecode(Column *self, void *closure)
{
    return PyUnicode_FromStringAndSize(&self->typecode, 1);
}

static int
column_getbuffer(Column *self, Py_buffer *view, int flags)
{
    static char empty = 0;
    view->obj = Py_NewRef((PyObject *)self);
    view->buf = self->data ? self->data : &empty;
    view->len = self->length * self->itemsize;
    view->readonly = 0;
    view->itemsize = self->itemsize;
    view->format = (flags & PyBUF_FORMAT) ? self->format : NULL;
    view->ndim = 1;
    view->shape = (flags & PyBUF_ND) ? &self->length : NULL;
    view->strides = (flags & PyBUF_STRIDES) ? &self->itemsize : NULL;
    view->suboffsets = NULL;
    view->internal = NULL;
    self->exports++;
    return 0;
}

static void
column_releasebuffer(Column *self, Py_buffer *view)
{
    self->exports--;
}

/* Pickled as the array.array of its values (one copy of its memory, sent to the parent). */
static PyObject *
column_reduce(Column *self, PyObject *unused)
{
    PyObject *array_module = PyImport_ImportModule("array");
    if (array_module == NULL) {
        return NULL;
    }
    PyObject *array_type = PyObject_GetAttrString(array_module, "array");
    Py_DECREF(array_module);
    if (array_type == NULL) {
        return NULL;
    }
    PyObject *values =
        PyBytes_FromStringAndSize(self->data ? self->data : "", self->length * self->itemsize);
    PyObject *typecode = values == NULL ? NULL : column_typecode(self, NULL);
    PyObject *reduced = typecode == NULL ? NULL
                                         : Py_BuildValue("O(OO)", array_type, typecode, values);
    Py_DECREF(array_type);
    Py_XDECREF(values);
    Py_XDECREF(typecode);
    return reduced;
}

static PyMethodDef column_methods[] = {
    {"append", (PyCFunction)column_append, METH_O, "Append one value."},
    {"__reduce__", (PyCFunction)column_reduce, METH_NOARGS,
     "Pickled as an array.array of the same values."},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef column_getset[] = {
    {"typecode", (getter)column_typecode, NULL, "The values' type, as array.array writes it.",
     NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PySequenceMethods column_as_sequence = {
    .sq_length = (lenfunc)column_len,
};

static PyBufferProcs column_as_buffer = {
    .bf_getbuffer = (getbufferproc)column_getbuffer,
    .bf_releasebuffer = (releasebufferproc)column_releasebuffer,
};

static PyTypeObject ColumnType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "spcore.aggregation._fill.Column",
    .tp_doc = PyDoc_STR("Values of one type appended in order; readable as a buffer."),
    .tp_basicsize = sizeof(Column),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = column_new,
    .tp_dealloc = (destructor)column_dealloc,
    .tp_methods = column_methods,
    .tp_getset = column_getset,
    .tp_as_sequence = &column_as_sequence,
    .tp_as_buffer = &column_as_buffer,
};

/* ------------------------------------------------------------------- names */

/* The columns an Adder appends to, by name (CaseColumns' fields). */
#define COLUMNS(X)                                                                         \
    X(kind) X(line) X(case) X(person) X(scheme) X(referred) X(referrer) X(criteria)        \
    X(rejection) X(age_band) X(assessed) X(plan) X(closed) X(closure_reason) X(cohort)     \
    X(employability) X(wellbeing_aspects) X(care_reviewed) X(care_window) X(care_change)   \
    X(rating_row) X(rating_date) X(rating_rank) X(contact_row) X(contact_date)             \
    X(contact_type) X(contact_minutes) X(prescription_row) X(prescription_date)            \
    X(prescription_type) X(prescription_group) X(prescription_label)                       \
    X(prescription_five_ways) X(measure_row) X(measure_key) X(measure_timepoint)           \
    X(measure_date) X(measure_score) X(window_row) X(window_side) X(window_start)          \
    X(window_end) X(window_months) X(window_source) X(use_window) X(use_service)           \
    X(use_count)

/* The tables and numberings an Adder looks codes up in, by name. */
#define TABLES(X)                                                                          \
    X(days) X(minutes_per) X(referrer_codes) X(age_codes) X(criterion_bits)                \
    X(rejection_codes) X(closure_codes) X(employability_bits) X(contact_codes)             \
    X(intervention_codes) X(five_ways_bits) X(timepoint_codes) X(aspect_bits)              \
    X(care_change_codes) X(cohort_codes) X(side_codes) X(source_codes) X(service_codes)    \
    X(rag_ranks) X(case_numbers) X(case_values) X(person_numbers) X(person_values)         \
    X(scheme_numbers) X(schemes) X(measure_numbers) X(measures) X(written) X(group_of)

/* The JSON member names read from a record. */
#define KEYS(X)                                                                            \
    X(case_id) X(person_id) X(scheme_id) X(referral) X(date) X(referrer_type) X(criteria)  \
    X(rejection) X(reason) X(demographics) X(age_band) X(needs_and_concerns)               \
    X(assessment_date) X(rag_history) X(rating) X(support_offered) X(support_plan_date)    \
    X(contacts) X(type) X(duration) X(value) X(unit) X(social_prescriptions)               \
    X(intervention_type) X(community_group) X(directory_id) X(five_ways) X(outcomes)       \
    X(measures) X(instrument) X(score_name) X(value_set) X(timepoint) X(score)             \
    X(employability) X(wellbeing_aspects) X(social_care_package) X(reviewed_on)            \
    X(window_months) X(change) X(cohort) X(service_use) X(counts)                          \
    X(relative_to_referral) X(start_on) X(end_on) X(months) X(source) X(closure)

#define ENUM_COLUMN(name) C_##name,
enum { COLUMNS(ENUM_COLUMN) N_COLUMNS };
#define ENUM_TABLE(name) T_##name,
enum { TABLES(ENUM_TABLE) N_TABLES };
#define ENUM_KEY(name) K_##name,
enum { KEYS(ENUM_KEY) N_KEYS };

#define NAME(name) #name,
static const char *column_names[] = {COLUMNS(NAME)};
static const char *table_names[] = {TABLES(NAME)};
static const char *key_names[] = {KEYS(NAME)};

static PyObject *keys[N_KEYS];
static PyObject *prefix_case, *prefix_person;

/* ------------------------------------------------------------------- Adder */

typedef struct {
    PyObject_HEAD
    Column *columns[N_COLUMNS];
    PyObject *tables[N_TABLES];
} Adder;

static PyTypeObject AdderType;

/* Borrowed member of a dict, or NULL with KeyError when absent. */
static PyObject *
member(PyObject *dict, int key)
{
    if (!PyDict_CheckExact(dict)) {
        PyErr_Format(PyExc_TypeError, "a JSON object was expected where %R is",
                     keys[key]);
        return NULL;
    }
    PyObject *value = PyDict_GetItemWithError(dict, keys[key]);
    if (value == NULL && !PyErr_Occurred()) {
        PyErr_SetObject(PyExc_KeyError, keys[key]);
    }
    return value;
}

/* Borrowed member of a dict, or Py_None when absent (dict.get); NULL on error. */
static PyObject *
optional(PyObject *dict, int key)
{
    if (!PyDict_CheckExact(dict)) {
        PyErr_Format(PyExc_TypeError, "a JSON object was expected where %R is",
                     keys[key]);
        return NULL;
    }
    PyObject *value = PyDict_GetItemWithError(dict, keys[key]);
    if (value == NULL && !PyErr_Occurred()) {
        return Py_None;
    }
    return value;
}

/* A member that is a section (`data.get(name) or {}`): NULL on error, Py_None when empty. */
static PyObject *
section(PyObject *dict, int key)
{
    PyObject *value = optional(dict, key);
    if (value == NULL || value == Py_None) {
        return value;
    }
    /* A dict or list (what a section nearly always is) is true when it has members. */
    int truth = PyDict_CheckExact(value)   ? PyDict_GET_SIZE(value) > 0
                : PyList_CheckExact(value) ? PyList_GET_SIZE(value) > 0
                                           : PyObject_IsTrue(value);
    if (truth < 0) {
        return NULL;
    }
    return truth ? value : Py_None;
}

/* A list member (`x.get(name) or ()`) as a fast sequence (new reference), None if empty. */
static PyObject *
entries(PyObject *dict, int key)
{
    PyObject *value = section(dict, key);
    if (value == NULL) {
        return NULL;
    }
    if (value == Py_None) {
        return Py_NewRef(Py_None);
    }
    return PySequence_Fast(value, "a JSON array was expected");
}

static int
as_long(PyObject *number, long long *out)
{
    *out = PyLong_AsLongLong(number);
    return (*out == -1 && PyErr_Occurred()) ? -1 : 0;
}

/* table[key] as an integer: a dict, or a dict subclass that works out what is missing. */
static int
look_up(PyObject *table, PyObject *key, long long *out)
{
    PyObject *value = PyDict_GetItemWithError(table, key);
    if (value != NULL) {
        return as_long(value, out);
    }
    if (PyErr_Occurred()) {
        return -1;
    }
    value = PyObject_GetItem(table, key);  /* __missing__, or KeyError */
    if (value == NULL) {
        return -1;
    }
    int failed = as_long(value, out);
    Py_DECREF(value);
    return failed;
}

static int
put_code(Adder *self, int column, int table, PyObject *code)
{
    long long number;
    if (look_up(self->tables[table], code, &number) < 0) {
        return -1;
    }
    return column_put_long(self->columns[column], number);
}

/* A member's code, looked up and appended. */
static int
put_member_code(Adder *self, int column, int table, PyObject *dict, int key)
{
    PyObject *code = member(dict, key);
    return code == NULL ? -1 : put_code(self, column, table, code);
}

/*
 * The day ordinal of date text written exactly YYYY-MM-DD (all the schema's "date" format
 * lets through), as date.fromisoformat(text).toordinal() gives it; -1 for any other text,
 * which the days table works out (or refuses) as before. Worked out here because a record
 * holds some thirty dates, and each lookup in the table cost more than the arithmetic.
 */
static long long
iso_day(PyObject *text)
{
    int year, month, day;
    if (!PyUnicode_CheckExact(text) || PyUnicode_KIND(text) != PyUnicode_1BYTE_KIND ||
        !iso_date(PyUnicode_1BYTE_DATA(text), PyUnicode_GET_LENGTH(text), &year, &month, &day)) {
        return -1;
    }
    return iso_day_ordinal(year, month, day);
}

/* A date member's day ordinal appended (NO_DATE, -1, when `optional` and absent). */
static int
put_date(Adder *self, int column, PyObject *dict, int key, int is_optional)
{
    PyObject *text = is_optional ? optional(dict, key) : member(dict, key);
    if (text == NULL) {
        return -1;
    }
    if (text == Py_None) {
        return column_put_long(self->columns[column], -1);
    }
    long long day = iso_day(text);
    if (day >= 0) {
        return column_put_long(self->columns[column], day);
    }
    return put_code(self, column, T_days, text);
}

/* A set of codes (`reduce(or_, map(bits, codes), 0) if codes else 0`) appended as its mask. */
static int
put_bits(Adder *self, int column, int table, PyObject *dict, int key)
{
    PyObject *codes = dict == Py_None ? Py_None : optional(dict, key);
    if (codes == NULL) {
        return -1;
    }
    long long mask = 0;
    if (codes != Py_None) {
        PyObject *sequence = PySequence_Fast(codes, "a JSON array was expected");
        if (sequence == NULL) {
            return -1;
        }
        Py_ssize_t n = PySequence_Fast_GET_SIZE(sequence);
        for (Py_ssize_t i = 0; i < n; i++) {
            long long bit;
            if (look_up(self->tables[table], PySequence_Fast_GET_ITEM(sequence, i), &bit) < 0) {
                Py_DECREF(sequence);
                return -1;
            }
            mask |= bit;
        }
        Py_DECREF(sequence);
    }
    return column_put_long(self->columns[column], mask);
}

/* `int(x)` of a member (the schema's integer may be written 3.0), appended. */
static int
put_int(Adder *self, int column, PyObject *dict, int key)
{
    PyObject *value = member(dict, key);
    if (value == NULL) {
        return -1;
    }
    PyObject *integer = PyNumber_Long(value);
    if (integer == NULL) {
        return -1;
    }
    long long number;
    int failed = as_long(integer, &number);
    Py_DECREF(integer);
    return failed ? -1 : column_put_long(self->columns[column], number);
}

/* `float(x)` of an object. */
static int
as_float(PyObject *value, double *out)
{
    PyObject *number = PyNumber_Float(value);
    if (number == NULL) {
        return -1;
    }
    *out = PyFloat_AS_DOUBLE(number);
    Py_DECREF(number);
    return 0;
}

/* numbers.get(key) as an integer: 1 when found, 0 when not, -1 on error. */
static int
found_number(PyObject *numbers, PyObject *key, long long *out)
{
    PyObject *found = PyDict_GetItemWithError(numbers, key);
    if (found == NULL) {
        return PyErr_Occurred() ? -1 : 0;
    }
    return as_long(found, out) < 0 ? -1 : 1;
}

/* The number of `value` in a numbering: numbers.get(value), else a new one. */
static int
number_of(PyObject *numbers, PyObject *values, PyObject *value, long long *out)
{
    int found = found_number(numbers, value, out);
    if (found != 0) {
        return found < 0 ? -1 : 0;
    }
    Py_ssize_t number = PyList_GET_SIZE(values);
    PyObject *boxed = PyLong_FromSsize_t(number);
    if (boxed == NULL) {
        return -1;
    }
    int failed = PyDict_SetItem(numbers, value, boxed);
    Py_DECREF(boxed);
    if (failed || PyList_Append(values, value) < 0) {
        return -1;
    }
    *out = number;
    return 0;
}

/* numbers.get(key), else the number `numbering(key)` gives it. */
static int
number_or_call(PyObject *numbers, PyObject *numbering, PyObject *key, long long *out)
{
    int found = found_number(numbers, key, out);
    if (found != 0) {
        return found < 0 ? -1 : 0;
    }
    PyObject *given = PyObject_CallOneArg(numbering, key);
    if (given == NULL) {
        return -1;
    }
    int failed = as_long(given, out);
    Py_DECREF(given);
    return failed;
}

#define TRY(call)                                                                          \
    do {                                                                                   \
        if ((call) < 0)                                                                    \
            goto error;                                                                    \
    } while (0)

/* The value `call` gives (borrowed or new, as it gives it), or to `error` if none. */
#define FETCH(name, call)                                                                  \
    PyObject *name = (call);                                                               \
    if (name == NULL)                                                                      \
    goto error

#define PUT(column, value) TRY(column_put_long(self->columns[C_##column], (value)))

/* One entry of a record's list appended; -1 with an exception set on failure. */
typedef int (*AddEntry)(Adder *self, PyObject *entry, long long row);

/* Each entry of the list `owner[key]` (`owner.get(key) or ()`; none when owner is None). */
static int
add_each(Adder *self, PyObject *owner, int key, AddEntry add, long long row)
{
    if (owner == Py_None) {
        return 0;
    }
    PyObject *list = entries(owner, key);
    if (list == NULL) {
        return -1;
    }
    int failed = 0;
    if (list != Py_None) {
        Py_ssize_t n = PySequence_Fast_GET_SIZE(list);
        for (Py_ssize_t i = 0; i < n && !failed; i++) {
            failed = add(self, PySequence_Fast_GET_ITEM(list, i), row) < 0;
        }
    }
    Py_DECREF(list);
    return failed ? -1 : 0;
}

static int
add_rating(Adder *self, PyObject *entry, long long row)
{
    PUT(rating_row, row);
    TRY(put_date(self, C_rating_date, entry, K_date, 0));
    TRY(put_member_code(self, C_rating_rank, T_rag_ranks, entry, K_rating));
    return 0;
error:
    return -1;
}

/* `amount * minutes_per[unit]`: the minutes of a duration's value in its unit. */
static int
minutes_in(Adder *self, double amount, PyObject *unit, double *minutes)
{
    double per;
    PyObject *table = self->tables[T_minutes_per];
    PyObject *found = PyDict_GetItemWithError(table, unit);
    if (found != NULL) {
        Py_INCREF(found);
    }
    else if (PyErr_Occurred() || (found = PyObject_GetItem(table, unit)) == NULL) {
        return -1; /* PyObject_GetItem: the unit's minutes worked out and remembered */
    }
    int failed = as_float(found, &per);
    Py_DECREF(found);
    if (failed) {
        return -1;
    }
    *minutes = amount * per;
    return 0;
}

/* The minutes of a contact's duration (`float(value) * minutes_per[unit]`), NaN if none. */
static int
minutes_of(Adder *self, PyObject *contact, double *minutes)
{
    PyObject *duration = optional(contact, K_duration);
    if (duration == NULL) {
        return -1;
    }
    *minutes = Py_NAN;
    if (duration == Py_None) {
        return 0;
    }
    PyObject *value = member(duration, K_value);
    PyObject *unit = value == NULL ? NULL : member(duration, K_unit);
    double amount;
    if (unit == NULL || as_float(value, &amount) < 0) {
        return -1;
    }
    return minutes_in(self, amount, unit, minutes);
}

static int
add_contact(Adder *self, PyObject *contact, long long row)
{
    double minutes;
    PUT(contact_row, row);
    TRY(put_date(self, C_contact_date, contact, K_date, 0));
    TRY(put_member_code(self, C_contact_type, T_contact_codes, contact, K_type));
    TRY(minutes_of(self, contact, &minutes));
    TRY(column_put_double(self->columns[C_contact_minutes], minutes));
    return 0;
error:
    return -1;
}

/* The contacts of a record as the parser's contacts lane packed them (a bytes object of
 * PackedContact), appended as add_contact appends them from their dicts. */
static int
add_packed_contacts(Adder *self, PyObject *packed, long long row)
{
    if (!PyBytes_CheckExact(packed) || PyBytes_GET_SIZE(packed) % sizeof(PackedContact) != 0) {
        PyErr_SetString(PyExc_TypeError, "add_record(): packed contacts must be bytes of contacts");
        return -1;
    }
    const PackedContact *contact = (const PackedContact *)PyBytes_AS_STRING(packed);
    Py_ssize_t count = PyBytes_GET_SIZE(packed) / (Py_ssize_t)sizeof(PackedContact);
    for (Py_ssize_t i = 0; i < count; i++, contact++) {
        double minutes = Py_NAN;
        PUT(contact_row, row);
        PUT(contact_date, contact->day);
        TRY(put_code(self, C_contact_type, T_contact_codes, contact->type));
        if (contact->unit != NULL) {
            TRY(minutes_in(self, contact->value, contact->unit, &minutes));
        }
        TRY(column_put_double(self->columns[C_contact_minutes], minutes));
    }
    return 0;
error:
    return -1;
}

/* The (group, label) numbers of a prescription's community group, as first written. */
static int
group_numbers(Adder *self, PyObject *prescription, long long *group, long long *label)
{
    PyObject *name = optional(prescription, K_community_group);
    PyObject *directory = name == NULL ? NULL : optional(prescription, K_directory_id);
    if (directory == NULL) {
        return -1;
    }
    PyObject *named = PyTuple_Pack(2, name, directory);
    if (named == NULL) {
        return -1;
    }
    PyObject *numbers = PyDict_GetItemWithError(self->tables[T_written], named);
    if (numbers != NULL) {
        Py_INCREF(numbers);
    }
    else if (!PyErr_Occurred()) {
        numbers = PyObject_CallOneArg(self->tables[T_group_of], named);
    }
    Py_DECREF(named);
    if (numbers == NULL) {
        return -1;
    }
    int failed = -1;
    if (!PyTuple_Check(numbers) || PyTuple_GET_SIZE(numbers) != 2) {
        PyErr_SetString(PyExc_TypeError, "a group's numbers are a pair");
    }
    else if (as_long(PyTuple_GET_ITEM(numbers, 0), group) == 0 &&
             as_long(PyTuple_GET_ITEM(numbers, 1), label) == 0) {
        failed = 0;
    }
    Py_DECREF(numbers);
    return failed;
}

static int
add_prescription(Adder *self, PyObject *prescription, long long row)
{
    long long group, label;
    PUT(prescription_row, row);
    TRY(put_date(self, C_prescription_date, prescription, K_date, 0));
    TRY(put_member_code(self, C_prescription_type, T_intervention_codes, prescription,
                        K_intervention_type));
    TRY(group_numbers(self, prescription, &group, &label));
    PUT(prescription_group, group);
    PUT(prescription_label, label);
    TRY(put_bits(self, C_prescription_five_ways, T_five_ways_bits, prescription, K_five_ways));
    return 0;
error:
    return -1;
}

/* The number of a measure's (instrument, score name, value set). */
static int
measure_number(Adder *self, PyObject *measure, long long *number)
{
    PyObject *instrument = member(measure, K_instrument);
    if (instrument == NULL) {
        return -1;
    }
    /* measure.get("score_name", "score"): the stated name, whatever it is. */
    PyObject *score_name = PyDict_GetItemWithError(measure, keys[K_score_name]);
    if (score_name == NULL) {
        if (PyErr_Occurred()) {
            return -1;
        }
        score_name = keys[K_score];
    }
    PyObject *value_set = optional(measure, K_value_set);
    if (value_set == NULL) {
        return -1;
    }
    PyObject *key = PyTuple_Pack(3, instrument, score_name, value_set);
    if (key == NULL) {
        return -1;
    }
    int failed =
        number_or_call(self->tables[T_measure_numbers], self->tables[T_measures], key, number);
    Py_DECREF(key);
    return failed;
}

static int
add_measure(Adder *self, PyObject *measure, long long row)
{
    long long number;
    double value;
    PUT(measure_row, row);
    TRY(measure_number(self, measure, &number));
    PUT(measure_key, number);
    TRY(put_member_code(self, C_measure_timepoint, T_timepoint_codes, measure, K_timepoint));
    TRY(put_date(self, C_measure_date, measure, K_date, 0));
    PyObject *score = member(measure, K_score);
    if (score == NULL || as_float(score, &value) < 0) {
        goto error;
    }
    TRY(column_put_double(self->columns[C_measure_score], value));
    return 0;
error:
    return -1;
}

/* A window's counts (`for name, count in window["counts"].items()`), then the window. */
static int
add_window(Adder *self, PyObject *window, long long row)
{
    long long number = self->columns[C_window_row]->length;
    PyObject *counts = member(window, K_counts);
    if (counts == NULL) {
        return -1;
    }
    if (!PyDict_CheckExact(counts)) {
        PyErr_SetString(PyExc_TypeError, "a window's counts are a JSON object");
        return -1;
    }
    Py_ssize_t at = 0;
    PyObject *name, *count;
    while (PyDict_Next(counts, &at, &name, &count)) {
        PUT(use_window, number);
        TRY(put_code(self, C_use_service, T_service_codes, name));
        PyObject *integer = PyNumber_Long(count);
        if (integer == NULL) {
            return -1;
        }
        long long value;
        int failed = as_long(integer, &value);
        Py_DECREF(integer);
        TRY(failed);
        PUT(use_count, value);
    }
    PUT(window_row, row);
    TRY(put_member_code(self, C_window_side, T_side_codes, window, K_relative_to_referral));
    TRY(put_date(self, C_window_start, window, K_start_on, 0));
    TRY(put_date(self, C_window_end, window, K_end_on, 0));
    TRY(put_int(self, C_window_months, window, K_months));
    TRY(put_member_code(self, C_window_source, T_source_codes, window, K_source));
    return 0;
error:
    return -1;
}

static PyObject *
adder_call(Adder *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2 && nargs != 3) {
        PyErr_SetString(PyExc_TypeError,
                        "add_record(data, line[, contacts]) takes two or three arguments");
        return NULL;
    }
    PyObject *data = args[0];
    /* The record's contacts as the parser's contacts lane packed them (its data then holds
     * none): appended where its contacts would be. */
    PyObject *packed = nargs == 3 ? args[2] : NULL;
    long long line, number;
    if (as_long(args[1], &line) < 0) {
        return NULL;
    }
    long long row = self->columns[C_kind]->length;
    PUT(kind, 0); /* RECORD */
    PUT(line, line);

    FETCH(case_id, member(data, K_case_id));
    TRY(number_of(self->tables[T_case_numbers], self->tables[T_case_values], case_id,
                  &number));
    PUT(case, number);
    /* Person and case identifiers are told apart, as derive.person_key does. */
    FETCH(person_id, optional(data, K_person_id));
    FETCH(person_key, person_id == Py_None ? PyUnicode_Concat(prefix_case, case_id)
                                                : PyUnicode_Concat(prefix_person, person_id));
    int failed = number_of(self->tables[T_person_numbers], self->tables[T_person_values],
                           person_key, &number);
    Py_DECREF(person_key);
    TRY(failed);
    PUT(person, number);
    FETCH(scheme_id, member(data, K_scheme_id));
    TRY(number_or_call(self->tables[T_scheme_numbers], self->tables[T_schemes], scheme_id,
                       &number));
    PUT(scheme, number);

    FETCH(referral, member(data, K_referral));
    TRY(put_date(self, C_referred, referral, K_date, 0));
    TRY(put_member_code(self, C_referrer, T_referrer_codes, referral, K_referrer_type));
    TRY(put_bits(self, C_criteria, T_criterion_bits, referral, K_criteria));
    FETCH(rejected, optional(referral, K_rejection));
    if (rejected == Py_None) {
        PUT(rejection, -1);
    }
    else {
        TRY(put_member_code(self, C_rejection, T_rejection_codes, rejected, K_reason));
    }
    FETCH(demographics, member(data, K_demographics));
    TRY(put_member_code(self, C_age_band, T_age_codes, demographics, K_age_band));

    FETCH(needs, section(data, K_needs_and_concerns));
    if (needs == Py_None) {
        PUT(assessed, -1);
    }
    else {
        TRY(put_date(self, C_assessed, needs, K_assessment_date, 1));
    }
    TRY(add_each(self, needs, K_rag_history, add_rating, row));

    FETCH(support, section(data, K_support_offered));
    if (support == Py_None) {
        PUT(plan, -1);
    }
    else {
        TRY(put_date(self, C_plan, support, K_support_plan_date, 1));
    }
    if (packed != NULL) {
        TRY(add_packed_contacts(self, packed, row));
    }
    else {
        TRY(add_each(self, support, K_contacts, add_contact, row));
    }
    TRY(add_each(self, support, K_social_prescriptions, add_prescription, row));

    FETCH(outcomes, section(data, K_outcomes));
    TRY(add_each(self, outcomes, K_measures, add_measure, row));
    TRY(put_bits(self, C_employability, T_employability_bits, outcomes, K_employability));
    TRY(put_bits(self, C_wellbeing_aspects, T_aspect_bits, outcomes, K_wellbeing_aspects));
    FETCH(care, outcomes == Py_None ? Py_None : optional(outcomes, K_social_care_package));
    if (care == Py_None) {
        PUT(care_reviewed, -1);
        PUT(care_window, -1);
        PUT(care_change, -1);
    }
    else {
        TRY(put_date(self, C_care_reviewed, care, K_reviewed_on, 0));
        TRY(put_int(self, C_care_window, care, K_window_months));
        TRY(put_member_code(self, C_care_change, T_care_change_codes, care, K_change));
    }
    FETCH(cohort, optional(data, K_cohort));
    if (cohort == Py_None) {
        PUT(cohort, -1);
    }
    else {
        TRY(put_code(self, C_cohort, T_cohort_codes, cohort));
    }
    TRY(add_each(self, data, K_service_use, add_window, row));
    FETCH(closure, optional(data, K_closure));
    if (closure == Py_None) {
        PUT(closed, -1);
        PUT(closure_reason, -1);
    }
    else {
        TRY(put_date(self, C_closed, closure, K_date, 0));
        TRY(put_member_code(self, C_closure_reason, T_closure_codes, closure, K_reason));
    }
    Py_RETURN_NONE;
error:
    return NULL;
}

static PyObject *
adder_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    static char *keywords[] = {"columns", "tables", NULL};
    PyObject *columns, *tables;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O!O!", keywords, &PyDict_Type, &columns,
                                     &PyDict_Type, &tables)) {
        return NULL;
    }
    Adder *self = (Adder *)type->tp_alloc(type, 0);
    if (self == NULL) {
        return NULL;
    }
    for (int i = 0; i < N_COLUMNS; i++) {
        PyObject *column = PyDict_GetItemString(columns, column_names[i]);
        if (column == NULL || !PyObject_TypeCheck(column, &ColumnType)) {
            PyErr_Format(PyExc_TypeError, "no Column named %s", column_names[i]);
            Py_DECREF(self);
            return NULL;
        }
        self->columns[i] = (Column *)Py_NewRef(column);
    }
    for (int i = 0; i < N_TABLES; i++) {
        PyObject *table = PyDict_GetItemString(tables, table_names[i]);
        if (table == NULL) {
            PyErr_Format(PyExc_TypeError, "no table named %s", table_names[i]);
            Py_DECREF(self);
            return NULL;
        }
        self->tables[i] = Py_NewRef(table);
    }
    int dicts[] = {T_days, T_minutes_per, T_case_numbers, T_person_numbers,
                   T_scheme_numbers, T_measure_numbers, T_written};
    for (size_t i = 0; i < sizeof(dicts) / sizeof(dicts[0]); i++) {
        if (!PyDict_Check(self->tables[dicts[i]])) {
            PyErr_Format(PyExc_TypeError, "%s must be a dict", table_names[dicts[i]]);
            Py_DECREF(self);
            return NULL;
        }
    }
    if (!PyList_CheckExact(self->tables[T_case_values]) ||
        !PyList_CheckExact(self->tables[T_person_values])) {
        PyErr_SetString(PyExc_TypeError, "a numbering's values must be a list");
        Py_DECREF(self);
        return NULL;
    }
    return (PyObject *)self;
}

static int
adder_traverse(Adder *self, visitproc visit, void *arg)
{
    for (int i = 0; i < N_COLUMNS; i++) {
        Py_VISIT(self->columns[i]);
    }
    for (int i = 0; i < N_TABLES; i++) {
        Py_VISIT(self->tables[i]);
    }
    return 0;
}

static int
adder_clear(Adder *self)
{
    for (int i = 0; i < N_COLUMNS; i++) {
        Py_CLEAR(self->columns[i]);
    }
    for (int i = 0; i < N_TABLES; i++) {
        Py_CLEAR(self->tables[i]);
    }
    return 0;
}

static void
adder_dealloc(Adder *self)
{
    PyObject_GC_UnTrack(self);
    adder_clear(self);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *
adder_vectorcall(PyObject *callable, PyObject *const *args, size_t nargsf, PyObject *kwnames)
{
    if (kwnames != NULL && PyTuple_GET_SIZE(kwnames)) {
        PyErr_SetString(PyExc_TypeError, "add_record takes no keyword arguments");
        return NULL;
    }
    return adder_call((Adder *)callable, args, PyVectorcall_NARGS(nargsf));
}

static PyObject *
adder_tp_call(PyObject *callable, PyObject *args, PyObject *kwargs)
{
    return PyVectorcall_Call(callable, args, kwargs);
}

typedef struct {
    Adder adder;
    vectorcallfunc vectorcall;
} AdderWithCall;

static PyObject *
adder_with_call_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    PyObject *self = adder_new(type, args, kwargs);
    if (self != NULL) {
        ((AdderWithCall *)self)->vectorcall = adder_vectorcall;
    }
    return self;
}

static PyTypeObject AdderType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "spcore.aggregation._fill.Adder",
    .tp_doc = PyDoc_STR("add_record(data, line[, contacts]): a checked record's data appended to columns "
                       "(its contacts packed by the parser's contacts lane, when given)."),
    .tp_basicsize = sizeof(AdderWithCall),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_HAVE_VECTORCALL,
    .tp_vectorcall_offset = offsetof(AdderWithCall, vectorcall),
    .tp_call = adder_tp_call,
    .tp_new = adder_with_call_new,
    .tp_traverse = (traverseproc)adder_traverse,
    .tp_clear = (inquiry)adder_clear,
    .tp_dealloc = (destructor)adder_dealloc,
    .tp_free = PyObject_GC_Del,
};

/* ------------------------------------------------------------------ module */

static PyObject *
names_of(const char **names, int count)
{
    PyObject *tuple = PyTuple_New(count);
    if (tuple == NULL) {
        return NULL;
    }
    for (int i = 0; i < count; i++) {
        PyObject *name = PyUnicode_FromString(names[i]);
        if (name == NULL) {
            Py_DECREF(tuple);
            return NULL;
        }
        PyTuple_SET_ITEM(tuple, i, name);
    }
    return tuple;
}

static int
add_names(PyObject *module, const char *name, const char **names, int count)
{
    PyObject *tuple = names_of(names, count);
    if (tuple == NULL) {
        return -1;
    }
    int failed = PyModule_AddObjectRef(module, name, tuple);
    Py_DECREF(tuple);
    return failed;
}

/*
 * spcore.aggregation.keys.half_hex(value), for the keys below: worked out here for text
 * that is ASCII (a pseudonym); other text is handed to that function. Value for value the
 * same bytes: the digits are halved only when they are all lowercase hexadecimal (exactly
 * when bytes.fromhex reads them and bytes.hex writes them back the same), after the first
 * character when there is an odd number of characters; text starting with \x02, \x03 or
 * \x04 is escaped.
 */
static PyObject *python_half_hex; /* keys.half_hex, imported when first needed */

/* Each byte's value as a lowercase hexadecimal digit, or 16 for any other byte: looked up,
 * not compared, as a pseudonym's digits and letters come in no order a branch can learn. */
static unsigned char hex_digit[256];

static void
fill_hex_digits(void)
{
    memset(hex_digit, 16, sizeof hex_digit);
    for (int c = '0'; c <= '9'; c++) {
        hex_digit[c] = (unsigned char)(c - '0');
    }
    for (int c = 'a'; c <= 'f'; c++) {
        hex_digit[c] = (unsigned char)(c - 'a' + 10);
    }
}

/* half_hex of ASCII text written to `out` (room for size + 1 bytes); its length. */
static Py_ssize_t
half_hex_ascii(const unsigned char *text, Py_ssize_t size, unsigned char *out)
{
    if (size > 0 && text[0] >= 0x02 && text[0] <= 0x04) {
        out[0] = 0x03;
        memcpy(out + 1, text, (size_t)size);
        return size + 1;
    }
    Py_ssize_t first = size % 2; /* characters before the digits */
    if (size - first > 0) {
        unsigned char *at = out;
        *at++ = first ? 0x02 : 0x04;
        if (first) {
            *at++ = text[0];
        }
        unsigned char seen = 0; /* 16 once any byte is not a digit */
        for (Py_ssize_t i = first; i < size; i += 2) {
            unsigned char high = hex_digit[text[i]], low = hex_digit[text[i + 1]];
            seen |= high | low;
            *at++ = (unsigned char)(high << 4 | (low & 15));
        }
        if (!(seen & 16)) {
            return at - out;
        }
    }
    memcpy(out, text, (size_t)size); /* not halved: the text as it is */
    return size;
}

/* keys.half_hex(value), the Python function, for text that is not ASCII (new reference). */
static PyObject *
python_halving(PyObject *value)
{
    if (python_half_hex == NULL) {
        PyObject *keys_module = PyImport_ImportModule("spcore.aggregation.keys");
        if (keys_module == NULL) {
            return NULL;
        }
        python_half_hex = PyObject_GetAttrString(keys_module, "half_hex");
        Py_DECREF(keys_module);
        if (python_half_hex == NULL) {
            return NULL;
        }
    }
    return PyObject_CallOneArg(python_half_hex, value);
}

/*
 * keys(values, halve) -> (keys, width, hashes): spcore.aggregation.keys.keys_of(values,
 * half_hex if halve else str.encode) as the bytes of its two arrays. Each value's bytes
 * (half_hex's, or its UTF-8) and the end byte \x01, NUL-padded to the width of the
 * longest (at least 1), as NumPy writes an array of bytes; and each key's hash as
 * keys.hashes_of works it out: FNV-1a over the key's 64-bit words (native order, the
 * width rounded up to whole words), a word of zeros leaving the hash as it is.
 */
static PyObject *
keys_of(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *values;
    int halve;
    if (!PyArg_ParseTuple(args, "O!p:keys", &PyList_Type, &values, &halve)) {
        return NULL;
    }
    Py_ssize_t n = PyList_GET_SIZE(values);
    /* Each value's bytes: a bytes object of half_hex's, or the str's own UTF-8. */
    PyObject **made = PyMem_Calloc((size_t)(n > 0 ? n : 1), sizeof(PyObject *));
    const char **text = PyMem_Malloc((size_t)(n > 0 ? n : 1) * sizeof(char *));
    Py_ssize_t *size = PyMem_Malloc((size_t)(n > 0 ? n : 1) * sizeof(Py_ssize_t));
    unsigned char *arena = NULL;
    PyObject *keys = NULL, *hashes = NULL, *result = NULL;
    if (made == NULL || text == NULL || size == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    Py_ssize_t longest = 0;
    if (halve) {
        /* ASCII text (a pseudonym) is halved into one arena; other text by keys.half_hex. */
        size_t room = 0;
        for (Py_ssize_t i = 0; i < n; i++) {
            PyObject *value = PyList_GET_ITEM(values, i);
            if (PyUnicode_CheckExact(value) && PyUnicode_IS_ASCII(value)) {
                room += (size_t)PyUnicode_GET_LENGTH(value) + 1;
            }
        }
        arena = PyMem_Malloc(room > 0 ? room : 1);
        if (arena == NULL) {
            PyErr_NoMemory();
            goto done;
        }
    }
    unsigned char *free_at = arena;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *value = PyList_GET_ITEM(values, i);
        if (halve && PyUnicode_CheckExact(value) && PyUnicode_IS_ASCII(value)) {
            size[i] = half_hex_ascii(PyUnicode_1BYTE_DATA(value), PyUnicode_GET_LENGTH(value),
                                     free_at);
            text[i] = (const char *)free_at;
            free_at += size[i];
        } else if (halve) {
            made[i] = python_halving(value);
            if (made[i] == NULL) {
                goto done;
            }
            if (!PyBytes_Check(made[i])) {
                PyErr_SetString(PyExc_TypeError, "half_hex gave something other than bytes");
                goto done;
            }
            text[i] = PyBytes_AS_STRING(made[i]);
            size[i] = PyBytes_GET_SIZE(made[i]);
        } else {
            if (!PyUnicode_Check(value)) {
                PyErr_SetString(PyExc_TypeError, "an identifier is not text");
                goto done;
            }
            text[i] = PyUnicode_AsUTF8AndSize(value, &size[i]);
            if (text[i] == NULL) {
                goto done;
            }
        }
        if (size[i] > longest) {
            longest = size[i];
        }
    }
    Py_ssize_t width = longest + 1;
    if (n > 0 && width > PY_SSIZE_T_MAX / n) {
        PyErr_NoMemory();
        goto done;
    }
    size_t total = (size_t)n * (size_t)width; /* at most PY_SSIZE_T_MAX (checked above) */
    keys = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)total);
    hashes = PyBytes_FromStringAndSize(NULL, n * (Py_ssize_t)sizeof(uint64_t));
    if (keys == NULL || hashes == NULL) {
        goto done;
    }
    char *out = PyBytes_AS_STRING(keys);
    char *hash = PyBytes_AS_STRING(hashes);
    for (Py_ssize_t i = 0; i < n; i++) {
        char *key = out + i * width;
        memcpy(key, text[i], (size_t)size[i]);
        key[size[i]] = 0x01;
        memset(key + size[i] + 1, 0, (size_t)(width - size[i] - 1));
        uint64_t h = 0xCBF29CE484222325ULL;
        /* Past the key's width the words are zeros, which leave the hash alone. */
        for (Py_ssize_t at = 0; at < width; at += 8) {
            uint64_t word = 0;
            memcpy(&word, key + at, (size_t)(width - at < 8 ? width - at : 8));
            if (word != 0) {
                h = (h ^ word) * 0x100000001B3ULL;
            }
        }
        memcpy(hash + i * (Py_ssize_t)sizeof h, &h, sizeof h);
    }
    result = Py_BuildValue("(OnO)", keys, width, hashes);
done:
    if (made != NULL) {
        for (Py_ssize_t i = 0; i < n; i++) {
            Py_XDECREF(made[i]);
        }
    }
    PyMem_Free(made);
    PyMem_Free(arena);
    PyMem_Free(text);
    PyMem_Free(size);
    Py_XDECREF(keys);
    Py_XDECREF(hashes);
    return result;
}

/* day_ordinal(text) -> the ordinal a date member is filled with here, or None where the
 * days table works it out. */
static PyObject *
day_ordinal(PyObject *Py_UNUSED(module), PyObject *text)
{
    long long day = iso_day(text);
    if (day < 0) {
        Py_RETURN_NONE;
    }
    return PyLong_FromLongLong(day);
}

static PyMethodDef fill_functions[] = {
    {"keys", keys_of, METH_VARARGS,
     PyDoc_STR("keys(values, halve) -> (keys, width, hashes): keys.keys_of(values, half_hex "
               "if halve else str.encode) as the bytes of its two arrays")},
    {"day_ordinal", day_ordinal, METH_O,
     PyDoc_STR("day_ordinal(text) -> the day ordinal of YYYY-MM-DD text, worked out here; "
               "None for other text, which the days table works out")},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef fill_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "spcore.aggregation._fill",
    .m_doc = PyDoc_STR("A checked case record appended to columns, compiled."),
    .m_size = -1,
    .m_methods = fill_functions,
};

PyMODINIT_FUNC
PyInit__fill(void)
{
    fill_hex_digits();
    for (int i = 0; i < N_KEYS; i++) {
        keys[i] = PyUnicode_InternFromString(key_names[i]);
        if (keys[i] == NULL) {
            return NULL;
        }
    }
    prefix_case = PyUnicode_InternFromString("c");
    prefix_person = PyUnicode_InternFromString("p");
    if (prefix_case == NULL || prefix_person == NULL) {
        return NULL;
    }
    if (PyType_Ready(&ColumnType) < 0 || PyType_Ready(&AdderType) < 0) {
        return NULL;
    }
    PyObject *module = PyModule_Create(&fill_module);
    if (module == NULL) {
        return NULL;
    }
    if (PyModule_AddObjectRef(module, "Column", (PyObject *)&ColumnType) < 0 ||
        PyModule_AddObjectRef(module, "Adder", (PyObject *)&AdderType) < 0 ||
        add_names(module, "COLUMNS", column_names, N_COLUMNS) < 0 ||
        add_names(module, "TABLES", table_names, N_TABLES) < 0) {
        Py_DECREF(module);
        return NULL;
    }
    return module;
}
