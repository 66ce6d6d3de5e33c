/*
 * A contact of a case record as the contacts lane of spcore/cases/_parse.h reads it from
 * a line, and spcore/aggregation/_fill.c appends it to the contact columns: what the
 * fill takes from a contact's dict, without the dicts. Shared by the two modules; a
 * bytes object of these is handed from one to the other within one call of read_run.
 */
#ifndef SPCORE_PACKED_CONTACT_H
#define SPCORE_PACKED_CONTACT_H

typedef struct {
    long long day;  /* date.fromisoformat(contact["date"]).toordinal() */
    PyObject *type; /* contact["type"]: borrowed from the parser's codes, which outlive the call */
    PyObject *unit; /* duration["unit"], borrowed likewise; NULL when the duration is null or absent */
    double value;   /* float(duration["value"]) when there is a duration */
} PackedContact;

#endif
