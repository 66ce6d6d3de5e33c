/*
 * spcore.cases._screens: the screens of spcore/cases/screens.py, and runs of the
 * quick reading of spcore/cases/chunks.py, compiled.
 *
 * A Screen answers, for a schema-valid case record as orjson builds it (dicts
 * and lists), the question the Python screens answer: can the record have no
 * finding beyond the schema (personal data, outcome measures, service-use
 * windows, retired codes)? True is a proof; False means only "maybe", and the
 * caller asks the functions that define the findings.
 *
 * It repeats the tests of screens.py value for value and reads the same
 * remembered answers (the same dict objects); where an answer is not yet
 * remembered it calls back to screens.py, which works it out and remembers it.
 * A value of a type the screens did not foresee makes it answer False, never
 * raise (as the Python screens catch _UNFORESEEN); a container that is not
 * exactly a dict or a list does too, which can only send a record to the
 * definitions. The property tests of tests/cases/test_screens.py hold both
 * screens to the functions they screen.
 *
 * read_run (at the end) runs a worker's quick reading of a chunk's lines, the
 * screen included, for as long as each line is accepted.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define KEYS(X)                                                                   \
    X(outcomes) X(measures) X(score_name) X(score) X(instrument) X(value_set)      \
    X(timepoint) X(date) X(service_use) X(referral) X(months) X(counts)            \
    X(relative_to_referral) X(start_on) X(end_on) X(baseline) X(follow_up)

#define ENUM_KEY(name) K_##name,
enum { KEYS(ENUM_KEY) N_KEYS };
#define NAME(name) #name,
static const char *key_names[] = {KEYS(NAME)};
static PyObject *keys[N_KEYS];

/* Returned by the tests below: the record is clear; maybe not (ask); an error to raise. */
#define CLEAR 1
#define MAYBE 0
#define FAILED -1

/* What a Screen is given, by name (kind: 'd' a dict, 't' a tuple, 'o' anything). */
#define SETTINGS(X)                                                                    \
    X(unforeseen, 'o')    /* exception types that mean "maybe" */                      \
    X(categorical, 'd')   /* (instrument, score name) -> frozenset of codes */         \
    X(retired, 't')       /* ((tokens, plain, codes), ...) */                          \
    X(retired_other, 'o') /* callable(data) -> bool for places that are not plain */   \
    X(days, 'd')          /* date text -> date */                                      \
    X(day, 'o')           /* callable(text) -> date, remembering it */                 \
    X(dues, 'd')          /* baseline text -> due date or None */                      \
    X(due, 'o')           /* callable(text) -> due date or None, remembering it */     \
    X(windows, 'd')       /* window key -> bool */                                     \
    X(window, 'o')        /* callable(key) -> bool, remembering it */                  \
    X(cleans, 'd')        /* text -> bool */                                           \
    X(clean, 'o')         /* callable(text) -> bool */                                 \
    X(tree, 't')          /* where free text is: (ends, ((token, node), ...)) */

typedef struct {
    PyObject_HEAD
#define FIELD(name, kind) PyObject *name;
    SETTINGS(FIELD)
} Screen;

static const struct {
    const char *name;
    char kind;
    size_t offset;
} settings[] = {
#define SETTING(name, kind) {#name, kind, offsetof(Screen, name)},
    SETTINGS(SETTING)
};
#define N_SETTINGS ((Py_ssize_t)(sizeof settings / sizeof settings[0]))

/* The field holding setting i. */
static PyObject **
setting(void *self, Py_ssize_t i)
{
    return (PyObject **)((char *)self + settings[i].offset);
}

static PyTypeObject ScreenType;

/* After a failed call: MAYBE when the error is one the screens did not foresee. */
static int
unforeseen(Screen *self)
{
    if (PyErr_ExceptionMatches(self->unforeseen)) {
        PyErr_Clear();
        return MAYBE;
    }
    return FAILED;
}

/* dict.get(key) (borrowed; NULL when absent or on error, with the error set). */
static PyObject *
get(PyObject *dict, int key)
{
    return PyDict_GetItemWithError(dict, keys[key]);
}

/* A remembered answer, or the callback's (new reference); NULL on error. */
static PyObject *
remembered(PyObject *table, PyObject *callback, PyObject *key)
{
    PyObject *found = PyDict_GetItemWithError(table, key);
    if (found != NULL) {
        return Py_NewRef(found);
    }
    if (PyErr_Occurred()) {
        return NULL;
    }
    return PyObject_CallOneArg(callback, key);
}

/* -- retired codes ------------------------------------------------------------ */

static int
retired_clear(Screen *self, PyObject *data)
{
    Py_ssize_t places = PyTuple_GET_SIZE(self->retired);
    for (Py_ssize_t i = 0; i < places; i++) {
        PyObject *place = PyTuple_GET_ITEM(self->retired, i);
        if (PyTuple_GET_ITEM(place, 1) != Py_True) {
            continue;  /* not a field's value: retired_other looks there */
        }
        PyObject *tokens = PyTuple_GET_ITEM(place, 0);
        PyObject *codes = PyTuple_GET_ITEM(place, 2);
        PyObject *value = data;
        int found = 1;
        for (Py_ssize_t t = 0; t < PyTuple_GET_SIZE(tokens); t++) {
            if (!PyDict_CheckExact(value)) {
                if (PyList_CheckExact(value) || PyUnicode_CheckExact(value) ||
                    PyLong_CheckExact(value) || PyFloat_CheckExact(value) ||
                    PyBool_Check(value) || value == Py_None) {
                    found = 0;  /* not a mapping: nothing there */
                    break;
                }
                return MAYBE;  /* some other mapping, perhaps */
            }
            PyObject *below = PyDict_GetItemWithError(value, PyTuple_GET_ITEM(tokens, t));
            if (below == NULL) {
                if (PyErr_Occurred()) {
                    return unforeseen(self);
                }
                found = 0;
                break;
            }
            value = below;
        }
        if (found && PyUnicode_Check(value)) {
            int retired = PySet_Contains(codes, value);
            if (retired < 0) {
                return unforeseen(self);
            }
            if (retired) {
                return MAYBE;
            }
        }
    }
    if (self->retired_other != Py_None) {
        PyObject *answer = PyObject_CallOneArg(self->retired_other, data);
        if (answer == NULL) {
            return unforeseen(self);
        }
        int truth = PyObject_IsTrue(answer);
        Py_DECREF(answer);
        return truth < 0 ? unforeseen(self) : truth;
    }
    return CLEAR;
}

/* -- outcome measures --------------------------------------------------------- */

/* `x.get(name) or default`: borrowed value, or NULL for "empty" (error set when failed). */
static PyObject *
truthy(PyObject *dict, int key, int *failed)
{
    *failed = 0;
    PyObject *value = get(dict, key);
    if (value == NULL) {
        *failed = PyErr_Occurred() != NULL;
        return NULL;
    }
    int truth = PyObject_IsTrue(value);
    if (truth <= 0) {
        *failed = truth < 0;
        return NULL;
    }
    return value;
}

/* `x.get(name) or ()` where a list is expected: CLEAR with *list borrowed (NULL when
   empty), MAYBE for anything but a list, or the status of a failure. */
static int
listed(Screen *self, PyObject *dict, int key, PyObject **list)
{
    int failed;
    *list = truthy(dict, key, &failed);
    if (*list == NULL) {
        return failed ? unforeseen(self) : CLEAR;
    }
    return PyList_CheckExact(*list) ? CLEAR : MAYBE;
}

/* A required member of a measure (KeyError in the screen: maybe). */
#define REQUIRE(var, dict, key)                       \
    PyObject *var = get((dict), (key));               \
    if (var == NULL) {                                \
        result = PyErr_Occurred() ? unforeseen(self) : MAYBE; \
        goto done;                                    \
    }

static int
measures_clear(Screen *self, PyObject *data)
{
    int failed;
    PyObject *outcomes = truthy(data, K_outcomes, &failed);
    if (outcomes == NULL) {
        return failed ? unforeseen(self) : CLEAR;
    }
    if (!PyDict_CheckExact(outcomes)) {
        return MAYBE;
    }
    PyObject *measures;
    int status = listed(self, outcomes, K_measures, &measures);
    if (status != CLEAR || measures == NULL) {
        return status;
    }
    Py_ssize_t count = PyList_GET_SIZE(measures);
    for (Py_ssize_t i = 0; i < count; i++) {
        if (!PyDict_CheckExact(PyList_GET_ITEM(measures, i))) {
            return MAYBE;
        }
    }
    int result = CLEAR;
    PyObject *baselines = PyDict_New();
    if (baselines == NULL) {
        return FAILED;
    }
    for (Py_ssize_t i = 0; i < count && result == CLEAR; i++) {
        PyObject *m = PyList_GET_ITEM(measures, i);
        PyObject *name = get(m, K_score_name);
        if (name == NULL) {
            if (PyErr_Occurred()) {
                result = unforeseen(self);
                goto done;
            }
            name = keys[K_score];
        }
        REQUIRE(instrument, m, K_instrument);
        PyObject *pair = PyTuple_Pack(2, instrument, name);
        if (pair == NULL) {
            result = FAILED;
            goto done;
        }
        PyObject *codes = PyDict_GetItemWithError(self->categorical, pair);
        Py_DECREF(pair);
        if (codes == NULL && PyErr_Occurred()) {
            result = unforeseen(self);
            goto done;
        }
        if (codes != NULL) {
            REQUIRE(score, m, K_score);
            int in = PySequence_Contains(codes, score);
            if (in <= 0) {
                result = in < 0 ? unforeseen(self) : MAYBE;
                goto done;
            }
        }
        REQUIRE(timepoint, m, K_timepoint);
        int is_baseline = PyObject_RichCompareBool(timepoint, keys[K_baseline], Py_EQ);
        if (is_baseline < 0) {
            result = unforeseen(self);
            goto done;
        }
        if (!is_baseline) {
            continue;
        }
        PyObject *value_set = get(m, K_value_set);
        if (value_set == NULL) {
            if (PyErr_Occurred()) {
                result = unforeseen(self);
                goto done;
            }
            value_set = Py_None;
        }
        PyObject *key = PyTuple_Pack(3, instrument, name, value_set);
        if (key == NULL) {
            result = FAILED;
            goto done;
        }
        PyObject *earliest = PyDict_GetItemWithError(baselines, key);
        int keep = earliest == NULL;
        if (earliest == NULL && PyErr_Occurred()) {
            Py_DECREF(key);
            result = unforeseen(self);
            goto done;
        }
        PyObject *date = get(m, K_date);
        if (date == NULL) {
            Py_DECREF(key);
            result = PyErr_Occurred() ? unforeseen(self) : MAYBE;
            goto done;
        }
        if (!keep) {
            keep = PyObject_RichCompareBool(date, earliest, Py_LT);
        }
        if (keep > 0) {
            keep = PyDict_SetItem(baselines, key, date) < 0 ? -1 : 1;
        }
        Py_DECREF(key);
        if (keep < 0) {
            result = unforeseen(self);
            goto done;
        }
    }
    for (Py_ssize_t i = 0; i < count && result == CLEAR; i++) {
        PyObject *m = PyList_GET_ITEM(measures, i);
        REQUIRE(timepoint, m, K_timepoint);
        int is_follow_up = PyObject_RichCompareBool(timepoint, keys[K_follow_up], Py_NE);
        if (is_follow_up != 0) {
            if (is_follow_up < 0) {
                result = unforeseen(self);
                goto done;
            }
            continue;  /* not a follow-up */
        }
        REQUIRE(instrument, m, K_instrument);
        PyObject *name = get(m, K_score_name);
        if (name == NULL && PyErr_Occurred()) {
            result = unforeseen(self);
            goto done;
        }
        PyObject *value_set = get(m, K_value_set);
        if (value_set == NULL && PyErr_Occurred()) {
            result = unforeseen(self);
            goto done;
        }
        PyObject *key = PyTuple_Pack(3, instrument, name ? name : keys[K_score],
                                     value_set ? value_set : Py_None);
        if (key == NULL) {
            result = FAILED;
            goto done;
        }
        PyObject *start = PyDict_GetItemWithError(baselines, key);
        Py_DECREF(key);
        if (start == NULL) {
            if (PyErr_Occurred()) {
                result = unforeseen(self);
                goto done;
            }
            continue;  /* no baseline */
        }
        if (start == Py_None) {
            continue;  /* `start is None` */
        }
        REQUIRE(date, m, K_date);
        int before = PyObject_RichCompareBool(date, start, Py_LT);
        if (before != 0) {
            if (before < 0) {
                result = unforeseen(self);
                goto done;
            }
            continue;
        }
        PyObject *due = remembered(self->dues, self->due, start);
        if (due == NULL) {
            result = unforeseen(self);
            goto done;
        }
        if (due == Py_None) {
            Py_DECREF(due);
            result = MAYBE;
            goto done;
        }
        PyObject *day = remembered(self->days, self->day, date);
        if (day == NULL) {
            Py_DECREF(due);
            result = unforeseen(self);
            goto done;
        }
        int early = PyObject_RichCompareBool(day, due, Py_LT);
        Py_DECREF(day);
        Py_DECREF(due);
        if (early != 0) {
            result = early < 0 ? unforeseen(self) : MAYBE;
            goto done;
        }
    }
done:
    Py_DECREF(baselines);
    return result;
}

/* -- service-use windows -------------------------------------------------------- */

static int
service_use_clear(Screen *self, PyObject *data)
{
    PyObject *windows;
    int status = listed(self, data, K_service_use, &windows);
    if (status != CLEAR || windows == NULL) {
        return status;
    }
    PyObject *referral = get(data, K_referral);
    if (referral == NULL || !PyDict_CheckExact(referral)) {
        return PyErr_Occurred() ? unforeseen(self) : MAYBE;
    }
    PyObject *index_date = get(referral, K_date);
    if (index_date == NULL) {
        return PyErr_Occurred() ? unforeseen(self) : MAYBE;
    }
    /* The windows read so far, to find a service counted twice for one side and length
     * (what the Python screen groups in sets): a record has a few windows, so each is
     * held to those before it of its side and length (kept on the stack for up to
     * SEEN_WINDOWS windows, else in memory allocated for the record). */
    enum { SEEN_WINDOWS = 16 };
    PyObject *kept[3 * SEEN_WINDOWS];
    int result = CLEAR;
    Py_ssize_t count = PyList_GET_SIZE(windows);
    PyObject **seen = kept;
    if (count > SEEN_WINDOWS) {
        seen = PyMem_New(PyObject *, (size_t)(3 * count));
        if (seen == NULL) {
            PyErr_NoMemory();
            return FAILED;
        }
    }
    PyObject **sides = seen, **lengths = seen + count, **counted = seen + 2 * count;
    for (Py_ssize_t i = 0; i < count && result == CLEAR; i++) {
        PyObject *w = PyList_GET_ITEM(windows, i);
        if (!PyDict_CheckExact(w)) {
            result = MAYBE;
            break;
        }
        REQUIRE(months, w, K_months);
        REQUIRE(counts, w, K_counts);
        /* 12.0 would share 12's remembered answer, and only a dict's names are
           surely unique: otherwise ask the function. */
        if (!PyLong_CheckExact(months) || !PyDict_CheckExact(counts)) {
            result = MAYBE;
            break;
        }
        REQUIRE(side, w, K_relative_to_referral);
        REQUIRE(start, w, K_start_on);
        REQUIRE(end, w, K_end_on);
        PyObject *key = PyTuple_Pack(5, side, start, end, months, index_date);
        if (key == NULL) {
            result = FAILED;
            break;
        }
        PyObject *clear = remembered(self->windows, self->window, key);
        Py_DECREF(key);
        if (clear == NULL) {
            result = unforeseen(self);
            break;
        }
        int truth = PyObject_IsTrue(clear);
        Py_DECREF(clear);
        if (truth <= 0) {
            result = truth < 0 ? unforeseen(self) : MAYBE;
            break;
        }
        /* A service counted twice for one side and length: ask the function. */
        for (Py_ssize_t j = 0; j < i && result == CLEAR; j++) {
            int same = PyObject_RichCompareBool(lengths[j], months, Py_EQ);
            if (same > 0) {
                same = PyObject_RichCompareBool(sides[j], side, Py_EQ);
            }
            if (same < 0) {
                result = unforeseen(self);
                break;
            }
            Py_ssize_t pos = 0;
            PyObject *service, *value;
            while (same && PyDict_Next(counts, &pos, &service, &value)) {
                int seen = PyDict_Contains(counted[j], service);
                if (seen != 0) {
                    result = seen < 0 ? unforeseen(self) : MAYBE;
                    break;
                }
            }
        }
        sides[i] = side; /* borrowed: the record holds them while the screen runs */
        lengths[i] = months;
        counted[i] = counts;
    }
done:
    if (seen != kept) {
        PyMem_Free(seen);
    }
    return result;
}

/* -- personal data in free text ------------------------------------------------ */

static int
text_clean(Screen *self, PyObject *text)
{
    PyObject *answer = remembered(self->cleans, self->clean, text);
    if (answer == NULL) {
        return unforeseen(self);
    }
    int truth = PyObject_IsTrue(answer);
    Py_DECREF(answer);
    return truth < 0 ? unforeseen(self) : truth;
}

static int
text_clear(Screen *self, PyObject *value, PyObject *node)
{
    PyObject *steps = PyTuple_GET_ITEM(node, 1);
    if (PyTuple_GET_ITEM(node, 0) == Py_True && PyUnicode_Check(value)) {
        int clean = text_clean(self, value);
        if (clean != CLEAR) {
            return clean;
        }
    }
    Py_ssize_t count = PyTuple_GET_SIZE(steps);
    for (Py_ssize_t i = 0; i < count; i++) {
        PyObject *step = PyTuple_GET_ITEM(steps, i);
        PyObject *token = PyTuple_GET_ITEM(step, 0);
        PyObject *below = PyTuple_GET_ITEM(step, 1);
        if (PyList_Check(value) && PyUnicode_CompareWithASCIIString(token, "*") == 0) {
            int result = CLEAR;
            for (Py_ssize_t j = 0; j < PyList_GET_SIZE(value) && result == CLEAR; j++) {
                PyObject *entry = Py_NewRef(PyList_GET_ITEM(value, j));
                result = text_clear(self, entry, below);
                Py_DECREF(entry);
            }
            if (result != CLEAR) {
                return result;
            }
        }
        else if (PyDict_CheckExact(value)) {
            PyObject *child = PyDict_GetItemWithError(value, token);
            if (child == NULL) {
                if (PyErr_Occurred()) {
                    return unforeseen(self);
                }
                continue;
            }
            Py_INCREF(child);
            int result = text_clear(self, child, below);
            Py_DECREF(child);
            if (result != CLEAR) {
                return result;
            }
        }
        else if (!(PyList_Check(value) || PyUnicode_Check(value) || PyLong_Check(value) ||
                   PyFloat_Check(value) || value == Py_None)) {
            return MAYBE;  /* perhaps some other mapping */
        }
    }
    return CLEAR;
}

/* -- the Screen ----------------------------------------------------------------- */

static int
screen_clear(Screen *self, PyObject *data)
{
    if (!PyDict_CheckExact(data)) {
        return MAYBE;
    }
    int result = text_clear(self, data, self->tree);
    if (result == CLEAR) {
        result = retired_clear(self, data);
    }
    if (result == CLEAR) {
        result = measures_clear(self, data);
    }
    if (result == CLEAR) {
        result = service_use_clear(self, data);
    }
    return result;
}

static PyObject *
screen_vectorcall(PyObject *callable, PyObject *const *args, size_t nargsf, PyObject *kwnames)
{
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
    if (nargs != 1 || (kwnames != NULL && PyTuple_GET_SIZE(kwnames) > 0)) {
        PyErr_SetString(PyExc_TypeError, "a screen takes one record");
        return NULL;
    }
    int result = screen_clear((Screen *)callable, args[0]);
    if (result < 0) {
        return NULL;
    }
    return PyBool_FromLong(result);
}

static PyObject *
screen_tp_call(PyObject *self, PyObject *args, PyObject *kwargs)
{
    return PyVectorcall_Call(self, args, kwargs);
}

/* screen.no_personal_data(data): the text test alone (what screens.no_personal_data asks). */
static PyObject *
screen_no_personal_data(Screen *self, PyObject *data)
{
    int result = PyDict_CheckExact(data) ? text_clear(self, data, self->tree) : MAYBE;
    if (result < 0) {
        return NULL;
    }
    return PyBool_FromLong(result == CLEAR);
}

static PyMethodDef screen_methods[] = {
    {"no_personal_data", (PyCFunction)screen_no_personal_data, METH_O,
     PyDoc_STR("True only when the record's free text can hold no personal data.")},
    {NULL, NULL, 0, NULL},
};

/* The tree of free-text paths, checked once: (bool, ((str, node), ...)). */
static int
valid_tree(PyObject *node, int depth)
{
    if (depth > 64 || !PyTuple_CheckExact(node) || PyTuple_GET_SIZE(node) != 2 ||
        !PyBool_Check(PyTuple_GET_ITEM(node, 0)) ||
        !PyTuple_CheckExact(PyTuple_GET_ITEM(node, 1))) {
        return 0;
    }
    PyObject *steps = PyTuple_GET_ITEM(node, 1);
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(steps); i++) {
        PyObject *step = PyTuple_GET_ITEM(steps, i);
        if (!PyTuple_CheckExact(step) || PyTuple_GET_SIZE(step) != 2 ||
            !PyUnicode_CheckExact(PyTuple_GET_ITEM(step, 0)) ||
            !valid_tree(PyTuple_GET_ITEM(step, 1), depth + 1)) {
            return 0;
        }
    }
    return 1;
}

static int
valid_retired(PyObject *places)
{
    if (!PyTuple_CheckExact(places)) {
        return 0;
    }
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(places); i++) {
        PyObject *place = PyTuple_GET_ITEM(places, i);
        if (!PyTuple_CheckExact(place) || PyTuple_GET_SIZE(place) != 3 ||
            !PyTuple_CheckExact(PyTuple_GET_ITEM(place, 0)) ||
            !PyFrozenSet_CheckExact(PyTuple_GET_ITEM(place, 2))) {
            return 0;
        }
    }
    return 1;
}

typedef struct {
    Screen screen;
    vectorcallfunc vectorcall;
} ScreenWithCall;

static PyObject *
screen_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    if (PyTuple_GET_SIZE(args) != 0 || kwargs == NULL || PyDict_GET_SIZE(kwargs) != N_SETTINGS) {
        PyErr_Format(PyExc_TypeError, "a Screen takes its %zd settings by name, and no more",
                     N_SETTINGS);
        return NULL;
    }
    PyObject *given[N_SETTINGS];
    for (Py_ssize_t i = 0; i < N_SETTINGS; i++) {
        given[i] = PyDict_GetItemString(kwargs, settings[i].name);
        char kind = settings[i].kind;
        if (given[i] == NULL || (kind == 'd' && !PyDict_Check(given[i])) ||
            (kind == 't' && !PyTuple_Check(given[i]))) {
            PyErr_Format(PyExc_TypeError, "the setting %s is missing or of the wrong type",
                         settings[i].name);
            return NULL;
        }
    }
    ScreenWithCall *made = (ScreenWithCall *)type->tp_alloc(type, 0);
    if (made == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < N_SETTINGS; i++) {
        *setting(&made->screen, i) = Py_NewRef(given[i]);
    }
    made->vectorcall = screen_vectorcall;
    if (!valid_retired(made->screen.retired) || !valid_tree(made->screen.tree, 0)) {
        Py_DECREF(made);
        PyErr_SetString(PyExc_ValueError, "a retired-code place or the text tree is malformed");
        return NULL;
    }
    return (PyObject *)made;
}

static int
screen_traverse(Screen *self, visitproc visit, void *arg)
{
    for (Py_ssize_t i = 0; i < N_SETTINGS; i++) {
        Py_VISIT(*setting(self, i));
    }
    return 0;
}

static int
screen_clear_refs(Screen *self)
{
    for (Py_ssize_t i = 0; i < N_SETTINGS; i++) {
        Py_CLEAR(*setting(self, i));
    }
    return 0;
}

static void
screen_dealloc(Screen *self)
{
    PyObject_GC_UnTrack(self);
    screen_clear_refs(self);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyTypeObject ScreenType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "spcore.cases._screens.Screen",
    .tp_doc = PyDoc_STR("screen(data): True only when the record has no finding beyond the schema."),
    .tp_basicsize = sizeof(ScreenWithCall),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_HAVE_VECTORCALL,
    .tp_vectorcall_offset = offsetof(ScreenWithCall, vectorcall),
    .tp_call = screen_tp_call,
    .tp_methods = screen_methods,
    .tp_new = screen_new,
    .tp_traverse = (traverseproc)screen_traverse,
    .tp_clear = (inquiry)screen_clear_refs,
    .tp_dealloc = (destructor)screen_dealloc,
    .tp_free = PyObject_GC_Del,
};

/* -- A run of quickly accepted lines ---------------------------------------------------
 *
 * read_run repeats, line after line, what spcore/cases/chunks.py's quick reading and
 * screen do for a line they accept, so that the lines a worker accepts (nearly all of
 * them) cost no Python bytecode. It parses each line where it lies in the chunk's bytes
 * with the Parser of _parse.h, which gives what Python's json gives or leaves the line
 * alone (and finds what the quick reading tests the line for: an escape, a year 0000,
 * a name given twice), then calls the same validator, screen and accept as Python. It
 * stops at the first line it might not accept, which Python then reads the way it
 * reads any line; reading it again there gives the same answer, as every step is
 * deterministic. An exception of the types the quick reading treats as "not quickly"
 * stops the run in the same way; any other is raised, as in Python. Given a list, the
 * run instead notes such a line in it and goes on, so that Python's reading of the
 * lines handed back, done after the run, does not put the run's code and data out of
 * the processor's caches between its lines (see spcore/aggregation/line_order.py).
 * Given lane true, the parser's contacts lane reads each line's contacts (see _parse.h):
 * a record it read is handed to accept with its contacts packed, as a third argument;
 * one it cannot accept is read again without the lane, so that what is handed back is
 * the record as the quick reading reads it.
 */

#include "_parse.h"

/* MAYBE for an exception of the types in `refused` (cleared), FAILED for any other. */
static int
refused_or_failed(PyObject *refused)
{
    if (PyErr_ExceptionMatches(refused)) {
        PyErr_Clear();
        return MAYBE;
    }
    return FAILED;
}

/* step(argument); on an exception, NULL with *answer set as refused_or_failed says. */
static PyObject *
refusable_step(PyObject *step, PyObject *argument, PyObject *refused, int *answer)
{
    PyObject *result = PyObject_CallOneArg(step, argument);
    if (result == NULL) {
        *answer = refused_or_failed(refused);
    }
    return result;
}

typedef struct {
    Parser *parser;
    PyObject *is_valid, *screen, *accept, *refused;
    int lane; /* whether the parser's contacts lane reads the lines (accept takes them packed) */
} Run;

/* One reading of a line (text, without its line ending), with the contacts lane or not:
 * CLEAR when it is accepted and handed to accept (with its contacts packed, when the lane
 * read them). MAYBE with *parsed set (a new reference) when the line was read as the
 * quick reading reads it, to a record the validator refuses (*valid 0) or the screen
 * cannot clear (*valid 1): the caller need not read it again. A record whose contacts the
 * lane read is never handed back so: it holds none. */
static int
run_line_once(const Run *run, int lane, const char *text, Py_ssize_t size, Py_ssize_t number,
              PyObject **parsed, int *valid_record)
{
    int answer = MAYBE;
    PyObject *valid = NULL, *clear = NULL;
    PyObject *data = parse_line(run->parser, text, size, lane);
    if (data == NULL) {
        return PyErr_Occurred() ? FAILED : MAYBE;
    }
    int packed = lane && run->parser->lane_used;
    valid = refusable_step(run->is_valid, data, run->refused, &answer);
    if (valid == NULL) {
        goto done;
    }
    int truth = PyObject_IsTrue(valid);
    if (truth <= 0) {
        answer = truth < 0 ? refused_or_failed(run->refused) : MAYBE;
        if (truth == 0 && !packed) {
            *parsed = Py_NewRef(data);
            *valid_record = 0;
        }
        goto done;
    }
    clear = PyObject_CallOneArg(run->screen, data);
    if (clear == NULL) {
        answer = FAILED;
        goto done;
    }
    truth = PyObject_IsTrue(clear);
    if (truth <= 0) {
        answer = truth < 0 ? FAILED : MAYBE;
        if (truth == 0 && !packed) {
            *parsed = Py_NewRef(data);
            *valid_record = 1;
        }
        goto done;
    }
    if (run->accept != Py_None) {
        PyObject *arguments[] = {data, PyLong_FromSsize_t(number), NULL};
        if (arguments[1] != NULL && packed) {
            arguments[2] = packed_contacts(run->parser);
        }
        PyObject *result = NULL;
        if (arguments[1] != NULL && (!packed || arguments[2] != NULL)) {
            result = PyObject_Vectorcall(run->accept, arguments, packed ? 3 : 2, NULL);
        }
        Py_XDECREF(arguments[1]);
        Py_XDECREF(arguments[2]);
        if (result == NULL) {
            answer = FAILED;
            goto done;
        }
        Py_DECREF(result);
    }
    answer = CLEAR;
done:
    Py_XDECREF(clear);
    Py_XDECREF(valid);
    Py_DECREF(data);
    return answer;
}

/* run_line_once with the run's lane; a line the lane read but that is not accepted is read
 * again with its contacts as objects, so Python is handed what it was handed without it. */
static int
run_line(const Run *run, const char *text, Py_ssize_t size, Py_ssize_t number,
         PyObject **parsed, int *valid_record)
{
    int answer = run_line_once(run, run->lane, text, size, number, parsed, valid_record);
    if (answer == MAYBE && run->lane && run->parser->lane_used) {
        answer = run_line_once(run, 0, text, size, number, parsed, valid_record);
    }
    return answer;
}

static PyObject *
read_run(PyObject *Py_UNUSED(module), PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs < 10 || nargs > 12) {
        PyErr_SetString(PyExc_TypeError, "read_run() takes 10 to 12 arguments");
        return NULL;
    }
    PyObject *later = nargs >= 11 && args[10] != Py_None ? args[10] : NULL;
    int lane = nargs == 12 ? PyObject_IsTrue(args[11]) : 0;
    if (lane < 0) {
        return NULL;
    }
    if (later != NULL && !PyList_CheckExact(later)) {
        PyErr_SetString(PyExc_TypeError, "read_run(): lines handed back go in a list");
        return NULL;
    }
    PyObject *content = args[0];
    if (!PyBytes_CheckExact(content)) {
        PyErr_SetString(PyExc_TypeError, "read_run(): the lines must be bytes");
        return NULL;
    }
    Py_ssize_t offset = PyLong_AsSsize_t(args[1]);
    Py_ssize_t index = PyLong_AsSsize_t(args[2]);
    Py_ssize_t first = PyLong_AsSsize_t(args[3]);
    Py_ssize_t longest = PyLong_AsSsize_t(args[8]);
    if ((offset == -1 || index == -1 || first == -1 || longest == -1) && PyErr_Occurred()) {
        return NULL;
    }
    if (!PyObject_TypeCheck(args[4], &ParserType)) {
        PyErr_SetString(PyExc_TypeError, "read_run(): the parser must be a Parser");
        return NULL;
    }
    Run run = {(Parser *)args[4], args[5], args[6], args[7], args[9], lane};
    PyObject *parsed = NULL;
    int valid_record = 0;
    /* Held while Python code runs, which could otherwise drop the last reference. */
    Py_INCREF(content);
    const char *base = PyBytes_AS_STRING(content);
    Py_ssize_t total = PyBytes_GET_SIZE(content);
    if (offset < 0 || offset > total) {
        offset = total;
    }
    for (; offset < total; index++) {
        const char *text = base + offset;
        const char *end = memchr(text, '\n', (size_t)(total - offset));
        Py_ssize_t length = end != NULL ? end - text : total - offset;
        int answer = MAYBE;
        /* line 1 may start with a byte-order mark: the reference reads it */
        if (length <= longest && first + index > 1) {
            Py_ssize_t size = length;
            while (size > 0 && text[size - 1] == '\r') {
                size--;
            }
            answer = run_line(&run, text, size, first + index, &parsed, &valid_record);
            if (answer == FAILED) {
                Py_XDECREF(parsed);
                Py_DECREF(content);
                return NULL;
            }
        }
        if (answer == MAYBE) {
            if (later == NULL) {
                break;
            }
            /* Handed back without stopping: (index, start, end, record read or None, valid). */
            PyObject *entry = Py_BuildValue("(nnnNO)", index, offset, offset + length,
                                            parsed != NULL ? parsed : Py_NewRef(Py_None),
                                            valid_record ? Py_True : Py_False);
            parsed = NULL;
            valid_record = 0;
            if (entry == NULL || PyList_Append(later, entry) < 0) {
                Py_XDECREF(entry);
                Py_DECREF(content);
                return NULL;
            }
            Py_DECREF(entry);
        }
        offset += length + 1;
    }
    Py_DECREF(content);
    return Py_BuildValue("(nnNO)", index, offset < total ? offset : total,
                         parsed != NULL ? parsed : Py_NewRef(Py_None),
                         valid_record ? Py_True : Py_False);
}

/* newlines(data) -> the newlines in a bytes-like object, found with memchr (lines of a
 * record are some 2 KB apart, so a search reads far more bytes than it stops at). */
static PyObject *
newlines_function(PyObject *Py_UNUSED(module), PyObject *data)
{
    Py_buffer buffer;
    if (PyObject_GetBuffer(data, &buffer, PyBUF_SIMPLE) < 0) {
        return NULL;
    }
    const char *at = buffer.buf, *end = at + buffer.len;
    Py_ssize_t count = 0;
    while (at < end && (at = memchr(at, '\n', (size_t)(end - at))) != NULL) {
        count++;
        at++;
    }
    PyBuffer_Release(&buffer);
    return PyLong_FromSsize_t(count);
}

static PyMethodDef screens_functions[] = {
    {"newlines", newlines_function, METH_O,
     PyDoc_STR("newlines(data) -> the newlines in a bytes-like object")},
    {"read_run", (PyCFunction)(void (*)(void))read_run, METH_FASTCALL,
     PyDoc_STR("read_run(content, offset, index, first_line, parser, is_valid, screen, accept, "
               "longest, refused[, later[, lane]]) -> (the index and offset of the first line not quickly "
               "accepted, its record when read, whether the validator accepted it)")},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef screens_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "spcore.cases._screens",
    .m_doc = PyDoc_STR("The screens of spcore.cases.screens, and runs of the quick reading of "
                       "spcore.cases.chunks, compiled."),
    .m_size = -1,
    .m_methods = screens_functions,
};

PyMODINIT_FUNC
PyInit__screens(void)
{
    for (int i = 0; i < N_KEYS; i++) {
        keys[i] = PyUnicode_InternFromString(key_names[i]);
        if (keys[i] == NULL) {
            return NULL;
        }
    }
    /* Words that are not valid C names. */
    Py_SETREF(keys[K_follow_up], PyUnicode_InternFromString("follow-up"));
    fill_byte_classes();
    if (keys[K_follow_up] == NULL || PyType_Ready(&ScreenType) < 0 ||
        PyType_Ready(&ParserType) < 0) {
        return NULL;
    }
    PyObject *module = PyModule_Create(&screens_module);
    if (module == NULL) {
        return NULL;
    }
    if (PyModule_AddObjectRef(module, "Screen", (PyObject *)&ScreenType) < 0 ||
        PyModule_AddObjectRef(module, "Parser", (PyObject *)&ParserType) < 0) {
        Py_DECREF(module);
        return NULL;
    }
    return module;
}
