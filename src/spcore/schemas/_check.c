/*
 * spcore.schemas._check: a proof that a document is valid against a bundled
 * schema, walked in C over the dicts and lists orjson or json builds.
 *
 * Check(program, otherwise=None) holds a schema as spcore/schemas/program.py
 * writes it: a tuple of nodes, one per schema object, node 0 the root, each
 * naming the others by index. check(document) is True when the walk proves
 * the document valid. When it cannot (the document is invalid, or the walk is
 * not sure), check returns otherwise(document) when otherwise is given, and
 * False when not. The walk is only ever stricter than the reference
 * (jsonschema, draft 2020-12): every test it makes is one the reference makes,
 * on the values the reference sees, and anything it does not read exactly
 * (a float where an integer is asked for, a number past 2**53, a value of a
 * type JSON does not give) is "not sure". program.py says which keywords are
 * read and how; tests/schemas/test_program.py holds the walk to the reference.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "../_iso_date.h"
#include <math.h>
#include <stddef.h>

/* What walk() answers: proved valid; not proved; an error to raise. */
#define PROVED 1
#define NOT_PROVED 0
#define FAILED -1

/* Deepest nesting walked; a deeper document is left to the validator. */
#define MAX_WALK 64
/* Most atoms of a pattern (program.py never writes more than the schema's few). */
#define MAX_ATOMS 16
/* Largest integer a double holds exactly, with every integer below it. */
#define EXACT_LIMIT 9007199254740992LL

enum { T_NULL = 1, T_BOOLEAN = 2, T_INTEGER = 4, T_NUMBER = 8, T_STRING = 16, T_ARRAY = 32, T_OBJECT = 64 };

/* program.py's NO_NODE and NO_MORE. */
#define NO_NODE -1
#define NO_MORE -2

typedef struct {
    unsigned char allowed[128];
    Py_ssize_t least, most; /* most -1: no bound */
} Atom;

/* A property of an object node. Its name is looked up by content once for each
 * distinct key object: orjson (and json) give one key object for a name used
 * again and again, so the object last found to be this name is remembered and
 * later keys are matched by identity. */
typedef struct {
    PyObject *name;
    PyObject *seen; /* the key object last found equal to name (a reference), or NULL */
    Py_ssize_t node;
} Property;

typedef struct {
    int never, types, date;
    PyObject *enumeration; /* frozenset of text, or NULL */
    Py_ssize_t min_length, max_length, min_items, max_items; /* -1: none */
    Py_ssize_t n_atoms;
    Atom *atoms; /* NULL: no pattern */
    int has_min, has_xmin, has_max, has_xmax;
    double min, xmin, max, xmax;
    Py_ssize_t items, additional, property_names;
    Py_ssize_t n_properties;
    Property *properties; /* NULL: no properties keyword */
    unsigned long long required_mask; /* bit j: property j is required (the first 64) */
    PyObject *required_rest;          /* required names not among those: a tuple */
    Py_ssize_t n_any, n_all;
    Py_ssize_t *any_of, *all_of;
} Node;

typedef struct {
    PyObject_HEAD
    Py_ssize_t n_nodes;
    Node *nodes;
    PyObject *otherwise;
    vectorcallfunc vectorcall;
} Check;

/* The fields of program.py's Node, in order. */
enum {
    F_NEVER, F_TYPES, F_ENUM, F_MIN_LENGTH, F_MAX_LENGTH, F_DATE, F_PATTERN, F_MINIMUM,
    F_XMINIMUM, F_MAXIMUM, F_XMAXIMUM, F_ITEMS, F_MIN_ITEMS, F_MAX_ITEMS, F_PROPERTIES,
    F_REQUIRED, F_ADDITIONAL, F_PROPERTY_NAMES, F_ANY_OF, F_ALL_OF, N_FIELDS
};

static int walk(const Check *check, Py_ssize_t index, PyObject *value, int depth);

static int
kind_of(PyObject *value)
{
    if (value == Py_None)
        return T_NULL;
    if (PyBool_Check(value))
        return T_BOOLEAN;
    if (PyLong_CheckExact(value))
        return T_INTEGER;
    if (PyFloat_CheckExact(value))
        return T_NUMBER;
    if (PyUnicode_CheckExact(value))
        return T_STRING;
    if (PyList_CheckExact(value))
        return T_ARRAY;
    if (PyDict_CheckExact(value))
        return T_OBJECT;
    return 0;
}

/* The atoms from position pos match the rest of the text, to its very end. */
static int
match_atoms(const Atom *atom, Py_ssize_t n, const Py_UCS1 *text, Py_ssize_t pos, Py_ssize_t length)
{
    if (n == 0)
        return pos == length;
    Py_ssize_t limit = length - pos;
    if (atom->most >= 0 && atom->most < limit)
        limit = atom->most;
    Py_ssize_t count = 0;
    while (count < limit) {
        Py_UCS1 ch = text[pos + count];
        if (ch >= 128 || !atom->allowed[ch])
            break;
        count++;
    }
    for (; count >= atom->least; count--)
        if (match_atoms(atom + 1, n - 1, text, pos + count, length))
            return 1;
    return 0;
}

/* YYYY-MM-DD in ASCII digits, a real day of years 0001-9999 (date.fromisoformat's range). */
static int
is_date(const Py_UCS1 *text, Py_ssize_t length)
{
    int year, month, day;
    return iso_date(text, length, &year, &month, &day);
}

static int
text_proved(const Node *node, PyObject *text)
{
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    if ((node->min_length >= 0 && length < node->min_length) ||
        (node->max_length >= 0 && length > node->max_length))
        return NOT_PROVED;
    if (node->atoms == NULL && !node->date)
        return PROVED;
    /* A pattern or a date matches ASCII only, so text holding a character past
     * U+00FF (stored wider than a byte a character) matches neither. */
    if (PyUnicode_KIND(text) != PyUnicode_1BYTE_KIND)
        return NOT_PROVED;
    const Py_UCS1 *data = PyUnicode_1BYTE_DATA(text);
    if (node->atoms != NULL && !match_atoms(node->atoms, node->n_atoms, data, 0, length))
        return NOT_PROVED;
    if (node->date && !is_date(data, length))
        return NOT_PROVED;
    return PROVED;
}

static int
number_proved(const Node *node, PyObject *number, int kind)
{
    double x;
    if (kind == T_INTEGER) {
        int overflow;
        long long whole = PyLong_AsLongLongAndOverflow(number, &overflow);
        if (whole == -1 && PyErr_Occurred())
            return FAILED;
        if (overflow || whole > EXACT_LIMIT || whole < -EXACT_LIMIT)
            return NOT_PROVED; /* a double might round it: the validator decides */
        x = (double)whole;
    }
    else {
        x = PyFloat_AS_DOUBLE(number);
        if (!isfinite(x))
            return NOT_PROVED;
    }
    if ((node->has_min && !(x >= node->min)) || (node->has_xmin && !(x > node->xmin)) ||
        (node->has_max && !(x <= node->max)) || (node->has_xmax && !(x < node->xmax)))
        return NOT_PROVED;
    return PROVED;
}

static int
array_proved(const Check *check, const Node *node, PyObject *array, int depth)
{
    Py_ssize_t size = PyList_GET_SIZE(array);
    if ((node->min_items >= 0 && size < node->min_items) ||
        (node->max_items >= 0 && size > node->max_items))
        return NOT_PROVED;
    if (node->items == NO_NODE)
        return PROVED;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(array); i++) {
        int answer = walk(check, node->items, PyList_GET_ITEM(array, i), depth + 1);
        if (answer != PROVED)
            return answer;
    }
    return PROVED;
}

/* The index of the property named key, or -1 when key names none; from hint on. */
static Py_ssize_t
property_of(const Node *node, PyObject *key, Py_ssize_t hint)
{
    /* Members usually come in the schema's order, so the search starts after the last
     * one found, wrapping round (without a division for each step). */
    Py_ssize_t n = node->n_properties, j = hint < n ? hint : 0;
    for (Py_ssize_t k = 0; k < n; k++, j++) {
        if (j == n)
            j = 0;
        if (node->properties[j].seen == key)
            return j;
    }
    for (Py_ssize_t j = 0; j < n; j++) {
        int equal = PyUnicode_Compare(node->properties[j].name, key);
        if (equal == -1 && PyErr_Occurred())
            return -2;
        if (equal == 0) {
            Py_XSETREF(node->properties[j].seen, Py_NewRef(key));
            return j;
        }
    }
    return -1;
}

static int
object_proved(const Check *check, const Node *node, PyObject *object, int depth)
{
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(node->required_rest); i++) {
        int has = PyDict_Contains(object, PyTuple_GET_ITEM(node->required_rest, i));
        if (has != 1)
            return has; /* FAILED, or NOT_PROVED when missing */
    }
    if (node->properties == NULL && node->required_mask == 0 && node->additional == NO_NODE &&
        node->property_names == NO_NODE)
        return PROVED;
    unsigned long long present = 0;
    Py_ssize_t at = 0, hint = 0;
    PyObject *key, *member;
    while (PyDict_Next(object, &at, &key, &member)) {
        if (!PyUnicode_CheckExact(key))
            return NOT_PROVED;
        Py_ssize_t sub = node->additional;
        Py_ssize_t j = node->n_properties ? property_of(node, key, hint) : -1;
        if (j == -2)
            return FAILED;
        if (j >= 0) {
            sub = node->properties[j].node;
            hint = j + 1;
            if (j < 64)
                present |= 1ULL << j;
        }
        if (sub == NO_MORE)
            return NOT_PROVED;
        if (sub != NO_NODE) {
            int answer = walk(check, sub, member, depth + 1);
            if (answer != PROVED)
                return answer;
        }
        if (node->property_names != NO_NODE) {
            int answer = walk(check, node->property_names, key, depth + 1);
            if (answer != PROVED)
                return answer;
        }
    }
    return (present & node->required_mask) == node->required_mask ? PROVED : NOT_PROVED;
}

static int
walk(const Check *check, Py_ssize_t index, PyObject *value, int depth)
{
    const Node *node = &check->nodes[index];
    if (node->never || depth > MAX_WALK)
        return NOT_PROVED;
    int kind = kind_of(value);
    if (kind == 0)
        return NOT_PROVED;
    /* an int is an integer and a number; a float only a number (1.0 is left to the validator) */
    if (!(node->types & (kind == T_INTEGER ? (T_INTEGER | T_NUMBER) : kind)))
        return NOT_PROVED;
    int answer = PROVED;
    if (node->enumeration != NULL) {
        if (kind != T_STRING)
            return NOT_PROVED;
        answer = PySet_Contains(node->enumeration, value);
        if (answer != PROVED)
            return answer;
    }
    switch (kind) {
    case T_STRING:
        answer = text_proved(node, value);
        break;
    case T_INTEGER:
    case T_NUMBER:
        answer = number_proved(node, value, kind);
        break;
    case T_ARRAY:
        answer = array_proved(check, node, value, depth);
        break;
    case T_OBJECT:
        answer = object_proved(check, node, value, depth);
        break;
    default:
        break;
    }
    if (answer != PROVED)
        return answer;
    for (Py_ssize_t i = 0; i < node->n_all; i++) {
        answer = walk(check, node->all_of[i], value, depth + 1);
        if (answer != PROVED)
            return answer;
    }
    if (node->n_any == 0)
        return PROVED;
    for (Py_ssize_t i = 0; i < node->n_any; i++) {
        answer = walk(check, node->any_of[i], value, depth + 1);
        if (answer != NOT_PROVED)
            return answer;
    }
    return NOT_PROVED;
}

/* ---- building a Check from program.py's tuple ---- */

static int
read_count(PyObject *field, Py_ssize_t *out)
{
    *out = PyLong_AsSsize_t(field);
    return *out == -1 && PyErr_Occurred() ? -1 : 0;
}

static int
read_bound(PyObject *field, int *has, double *out)
{
    *has = field != Py_None;
    if (*has) {
        *out = PyFloat_AsDouble(field);
        if (*out == -1.0 && PyErr_Occurred())
            return -1;
    }
    return 0;
}

static int
read_index(PyObject *field, Py_ssize_t n_nodes, int allow_none, Py_ssize_t *out)
{
    if (read_count(field, out) < 0)
        return -1;
    if ((*out >= 0 && *out < n_nodes) || *out == NO_NODE || (allow_none && *out == NO_MORE))
        return 0;
    PyErr_SetString(PyExc_ValueError, "a node index out of range");
    return -1;
}

static int
read_indices(PyObject *field, Py_ssize_t n_nodes, Py_ssize_t *count, Py_ssize_t **out)
{
    if (!PyTuple_Check(field)) {
        PyErr_SetString(PyExc_TypeError, "anyOf and allOf must be tuples of node indices");
        return -1;
    }
    *count = PyTuple_GET_SIZE(field);
    *out = PyMem_Calloc((size_t)(*count ? *count : 1), sizeof(Py_ssize_t));
    if (*out == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < *count; i++) {
        if (read_index(PyTuple_GET_ITEM(field, i), n_nodes, 0, &(*out)[i]) < 0)
            return -1;
        if ((*out)[i] < 0) {
            PyErr_SetString(PyExc_ValueError, "anyOf and allOf name nodes");
            return -1;
        }
    }
    return 0;
}

static int
read_pattern(PyObject *field, Node *node)
{
    if (field == Py_None)
        return 0;
    if (!PyTuple_Check(field) || PyTuple_GET_SIZE(field) > MAX_ATOMS) {
        PyErr_SetString(PyExc_ValueError, "a pattern is a tuple of at most 16 atoms");
        return -1;
    }
    node->n_atoms = PyTuple_GET_SIZE(field);
    node->atoms = PyMem_Calloc((size_t)(node->n_atoms ? node->n_atoms : 1), sizeof(Atom));
    if (node->atoms == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < node->n_atoms; i++) {
        PyObject *atom = PyTuple_GET_ITEM(field, i);
        const char *allowed;
        Py_ssize_t size;
        if (!PyTuple_Check(atom) || PyTuple_GET_SIZE(atom) != 3) {
            PyErr_SetString(PyExc_ValueError, "an atom is (allowed, least, most)");
            return -1;
        }
        allowed = PyUnicode_AsUTF8AndSize(PyTuple_GET_ITEM(atom, 0), &size);
        if (allowed == NULL || read_count(PyTuple_GET_ITEM(atom, 1), &node->atoms[i].least) < 0 ||
            read_count(PyTuple_GET_ITEM(atom, 2), &node->atoms[i].most) < 0)
            return -1;
        for (Py_ssize_t c = 0; c < size; c++) {
            unsigned char ch = (unsigned char)allowed[c];
            if (ch >= 128) {
                PyErr_SetString(PyExc_ValueError, "an atom allows ASCII only");
                return -1;
            }
            node->atoms[i].allowed[ch] = 1;
        }
    }
    return 0;
}

static int
read_properties(PyObject *properties, PyObject *required, Py_ssize_t n_nodes, Node *node)
{
    if (!PyTuple_Check(required)) {
        PyErr_SetString(PyExc_TypeError, "required is a tuple of names");
        return -1;
    }
    if (properties != Py_None) {
        if (!PyDict_CheckExact(properties)) {
            PyErr_SetString(PyExc_TypeError, "properties are a dict of node indices");
            return -1;
        }
        node->n_properties = PyDict_GET_SIZE(properties);
        node->properties = PyMem_Calloc((size_t)(node->n_properties ? node->n_properties : 1), sizeof(Property));
        if (node->properties == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        Py_ssize_t at = 0, j = 0;
        PyObject *key, *value;
        while (PyDict_Next(properties, &at, &key, &value)) {
            if (!PyUnicode_CheckExact(key)) {
                PyErr_SetString(PyExc_TypeError, "a property's name is text");
                return -1;
            }
            node->properties[j].name = Py_NewRef(key);
            if (read_index(value, n_nodes, 0, &node->properties[j].node) < 0)
                return -1;
            if (node->properties[j].node < 0) {
                PyErr_SetString(PyExc_ValueError, "a property names a node");
                return -1;
            }
            j++;
        }
    }
    PyObject *rest = PyList_New(0);
    if (rest == NULL)
        return -1;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(required); i++) {
        PyObject *name = PyTuple_GET_ITEM(required, i);
        Py_ssize_t j = 0;
        while (j < node->n_properties && j < 64 && PyObject_RichCompareBool(node->properties[j].name, name, Py_EQ) != 1)
            j++;
        if (j < node->n_properties && j < 64)
            node->required_mask |= 1ULL << j;
        else if (PyList_Append(rest, name) < 0) {
            Py_DECREF(rest);
            return -1;
        }
    }
    node->required_rest = PyList_AsTuple(rest);
    Py_DECREF(rest);
    return node->required_rest == NULL ? -1 : 0;
}

static int
read_node(PyObject *item, Py_ssize_t n_nodes, Node *node)
{
    if (!PyTuple_Check(item) || PyTuple_GET_SIZE(item) != N_FIELDS) {
        PyErr_SetString(PyExc_TypeError, "a node is a tuple of 20 fields (spcore.schemas.program.Node)");
        return -1;
    }
#define FIELD(i) PyTuple_GET_ITEM(item, i)
    node->never = PyObject_IsTrue(FIELD(F_NEVER));
    node->date = PyObject_IsTrue(FIELD(F_DATE));
    if (node->never < 0 || node->date < 0)
        return -1;
    Py_ssize_t types;
    if (read_count(FIELD(F_TYPES), &types) < 0)
        return -1;
    node->types = (int)types;
    if (FIELD(F_ENUM) != Py_None) {
        if (!PyFrozenSet_CheckExact(FIELD(F_ENUM))) {
            PyErr_SetString(PyExc_TypeError, "an enum is a frozenset of text");
            return -1;
        }
        node->enumeration = Py_NewRef(FIELD(F_ENUM));
    }
    if (read_properties(FIELD(F_PROPERTIES), FIELD(F_REQUIRED), n_nodes, node) < 0)
        return -1;
    if (read_count(FIELD(F_MIN_LENGTH), &node->min_length) < 0 ||
        read_count(FIELD(F_MAX_LENGTH), &node->max_length) < 0 ||
        read_count(FIELD(F_MIN_ITEMS), &node->min_items) < 0 ||
        read_count(FIELD(F_MAX_ITEMS), &node->max_items) < 0 ||
        read_bound(FIELD(F_MINIMUM), &node->has_min, &node->min) < 0 ||
        read_bound(FIELD(F_XMINIMUM), &node->has_xmin, &node->xmin) < 0 ||
        read_bound(FIELD(F_MAXIMUM), &node->has_max, &node->max) < 0 ||
        read_bound(FIELD(F_XMAXIMUM), &node->has_xmax, &node->xmax) < 0 ||
        read_index(FIELD(F_ITEMS), n_nodes, 0, &node->items) < 0 ||
        read_index(FIELD(F_ADDITIONAL), n_nodes, 1, &node->additional) < 0 ||
        read_index(FIELD(F_PROPERTY_NAMES), n_nodes, 0, &node->property_names) < 0 ||
        read_indices(FIELD(F_ANY_OF), n_nodes, &node->n_any, &node->any_of) < 0 ||
        read_indices(FIELD(F_ALL_OF), n_nodes, &node->n_all, &node->all_of) < 0 ||
        read_pattern(FIELD(F_PATTERN), node) < 0)
        return -1;
#undef FIELD
    return 0;
}

static PyTypeObject CheckType;

static void
free_nodes(Check *self)
{
    if (self->nodes == NULL)
        return;
    for (Py_ssize_t i = 0; i < self->n_nodes; i++) {
        Node *node = &self->nodes[i];
        Py_CLEAR(node->enumeration);
        for (Py_ssize_t j = 0; j < node->n_properties; j++) {
            Py_CLEAR(node->properties[j].name);
            Py_CLEAR(node->properties[j].seen);
        }
        PyMem_Free(node->properties);
        Py_CLEAR(node->required_rest);
        PyMem_Free(node->atoms);
        PyMem_Free(node->any_of);
        PyMem_Free(node->all_of);
    }
    PyMem_Free(self->nodes);
    self->nodes = NULL;
}

static PyObject *
check_call_one(Check *self, PyObject *value)
{
    int answer = walk(self, 0, value, 0);
    if (answer == FAILED)
        return NULL;
    if (answer == PROVED)
        Py_RETURN_TRUE;
    if (self->otherwise != NULL)
        return PyObject_CallOneArg(self->otherwise, value);
    Py_RETURN_FALSE;
}

static PyObject *
check_vectorcall(PyObject *callable, PyObject *const *args, size_t nargsf, PyObject *kwnames)
{
    if (PyVectorcall_NARGS(nargsf) != 1 || (kwnames != NULL && PyTuple_GET_SIZE(kwnames) != 0)) {
        PyErr_SetString(PyExc_TypeError, "a Check takes one document");
        return NULL;
    }
    return check_call_one((Check *)callable, args[0]);
}

static PyObject *
check_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    static char *names[] = {"program", "otherwise", NULL};
    PyObject *program, *otherwise = Py_None;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O!|O:Check", names, &PyTuple_Type, &program, &otherwise))
        return NULL;
    if (PyTuple_GET_SIZE(program) == 0) {
        PyErr_SetString(PyExc_ValueError, "a program has at least its root node");
        return NULL;
    }
    if (otherwise != Py_None && !PyCallable_Check(otherwise)) {
        PyErr_SetString(PyExc_TypeError, "otherwise must be callable");
        return NULL;
    }
    Check *self = (Check *)type->tp_alloc(type, 0);
    if (self == NULL)
        return NULL;
    self->vectorcall = check_vectorcall;
    self->otherwise = otherwise == Py_None ? NULL : Py_NewRef(otherwise);
    self->n_nodes = PyTuple_GET_SIZE(program);
    self->nodes = PyMem_Calloc((size_t)self->n_nodes, sizeof(Node));
    if (self->nodes == NULL) {
        Py_DECREF(self);
        return PyErr_NoMemory();
    }
    for (Py_ssize_t i = 0; i < self->n_nodes; i++)
        if (read_node(PyTuple_GET_ITEM(program, i), self->n_nodes, &self->nodes[i]) < 0) {
            Py_DECREF(self);
            return NULL;
        }
    return (PyObject *)self;
}

static PyObject *
check_tp_call(PyObject *self, PyObject *args, PyObject *kwargs)
{
    return PyVectorcall_Call(self, args, kwargs);
}

static int
check_traverse(Check *self, visitproc visit, void *arg)
{
    Py_VISIT(self->otherwise);
    return 0;
}

static int
check_clear(Check *self)
{
    Py_CLEAR(self->otherwise);
    return 0;
}

static void
check_dealloc(Check *self)
{
    PyObject_GC_UnTrack(self);
    check_clear(self);
    free_nodes(self);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyTypeObject CheckType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "spcore.schemas._check.Check",
    .tp_basicsize = sizeof(Check),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_HAVE_VECTORCALL,
    .tp_doc = "Check(program, otherwise=None): check(document) is True when the walk proves it valid.",
    .tp_new = check_new,
    .tp_call = check_tp_call,
    .tp_vectorcall_offset = offsetof(Check, vectorcall),
    .tp_traverse = (traverseproc)check_traverse,
    .tp_clear = (inquiry)check_clear,
    .tp_dealloc = (destructor)check_dealloc,
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "spcore.schemas._check",
    .m_doc = "A proof, walked in C, that a document is valid against a bundled schema.",
    .m_size = -1,
};

PyMODINIT_FUNC
PyInit__check(void)
{
    if (PyType_Ready(&CheckType) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&module);
    if (m == NULL)
        return NULL;
    if (PyModule_AddObjectRef(m, "Check", (PyObject *)&CheckType) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
