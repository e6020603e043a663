/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Windows-only calls (the smart card database) and their GUID
 * conversions. Compiled on Windows only. */
#include "pcsc_calls.h"
#include "pcsc_loader.h"
#include <string.h>

#define UNBLOCKED(statement) \
    Py_BEGIN_ALLOW_THREADS   \
    statement;               \
    Py_END_ALLOW_THREADS

#define API_OR_UNSUPPORTED(api, field)        \
    const pcsc_api_table *api = pcsc_api();    \
    if (api == NULL)                           \
        return SCARD_E_NO_SERVICE;             \
    if (api->field == NULL)                    \
        return SCARD_E_UNSUPPORTED_FEATURE

int scard_guids_parse(PyObject *obj, scard_guids *out, const char *what)
{
    Py_ssize_t i, count;

    out->items = NULL;
    out->count = 0;
    if (!PyList_Check(obj) && !PyTuple_Check(obj)) {
        PyErr_Format(PyExc_TypeError, "%s must be a list of GUIDs", what);
        return -1;
    }
    count = PySequence_Fast_GET_SIZE(obj);
    /* A single GUID may be given flat, as 16 ints. */
    if (count == 16 && PyLong_Check(PySequence_Fast_GET_ITEM(obj, 0))) {
        scard_bytes_in raw;
        if (scard_bytes_in_parse(obj, &raw, what) < 0)
            return -1;
        out->items = (GUID *)PyMem_Malloc(sizeof(GUID));
        if (out->items == NULL) {
            scard_bytes_in_release(&raw);
            PyErr_NoMemory();
            return -1;
        }
        memcpy(out->items, raw.data, sizeof(GUID));
        out->count = 1;
        scard_bytes_in_release(&raw);
        return 0;
    }
    out->items = (GUID *)PyMem_Calloc((size_t)(count ? count : 1), sizeof(GUID));
    if (out->items == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (i = 0; i < count; i++) {
        scard_bytes_in raw;
        PyObject *item;
        int failed;
        /* A bytes-like GUID may run Python code (__buffer__, 3.12+) that
         * changes the list: look at its size again, hold the item. */
        if (i >= PySequence_Fast_GET_SIZE(obj)) {
            PyErr_Format(PyExc_ValueError, "%s changed size during the call", what);
            goto fail;
        }
        item = PySequence_Fast_GET_ITEM(obj, i);
        Py_INCREF(item);
        failed = scard_bytes_in_parse(item, &raw, what) < 0;
        Py_DECREF(item);
        if (failed)
            goto fail;
        if (raw.length != sizeof(GUID)) {
            scard_bytes_in_release(&raw);
            PyErr_Format(PyExc_ValueError, "%s: a GUID has 16 bytes", what);
            goto fail;
        }
        memcpy(&out->items[i], raw.data, sizeof(GUID));
        scard_bytes_in_release(&raw);
    }
    out->count = (DWORD)count;
    return 0;
fail:
    PyMem_Free(out->items);
    out->items = NULL;
    return -1;
}

PyObject *scard_guids_to_python(const scard_guids *guids)
{
    PyObject *list = PyList_New((Py_ssize_t)guids->count);
    DWORD i;

    if (list == NULL)
        return NULL;
    for (i = 0; i < guids->count; i++) {
        PyObject *one = scard_list_from_bytes((const BYTE *)&guids->items[i],
                                              sizeof(GUID));
        if (one == NULL) {
            Py_DECREF(list);
            return NULL;
        }
        PyList_SET_ITEM(list, i, one);
    }
    return list;
}

scard_rc scard_ListCards(scard_context context, scard_bytes_in *atr,
                         scard_guids *interfaces, scard_strings_out *cards)
{
    DWORD length = 0;
    LONG rv;
    API_OR_UNSUPPORTED(api, ListCards);
    cards->data = NULL;
    cards->length = 0;
    UNBLOCKED(rv = api->ListCards(context, atr->length ? atr->data : NULL,
                                  interfaces->items, interfaces->count, NULL,
                                  &length));
    if (rv != SCARD_S_SUCCESS)
        return rv;
    cards->data = (char *)PyMem_Malloc(length + 1);
    if (cards->data == NULL) {
        PyErr_NoMemory();
        return SCARD_E_NO_MEMORY;
    }
    UNBLOCKED(rv = api->ListCards(context, atr->length ? atr->data : NULL,
                                  interfaces->items, interfaces->count,
                                  cards->data, &length));
    cards->length = rv == SCARD_S_SUCCESS ? length : 0;
    return rv;
}

scard_rc scard_LocateCards(scard_context context, scard_multistring cards,
                           scard_readerstates *states)
{
    LONG rv;
    API_OR_UNSUPPORTED(api, LocateCards);
    UNBLOCKED(rv = api->LocateCards(context, cards, states->states,
                                    states->count));
    return rv;
}

scard_rc scard_ListInterfaces(scard_context context, scard_string card,
                              scard_guids *interfaces_out)
{
    DWORD count = 0;
    LONG rv;
    API_OR_UNSUPPORTED(api, ListInterfaces);
    UNBLOCKED(rv = api->ListInterfaces(context, card, NULL, &count));
    if (rv != SCARD_S_SUCCESS)
        return rv;
    interfaces_out->items = (GUID *)PyMem_Calloc(count ? count : 1, sizeof(GUID));
    if (interfaces_out->items == NULL) {
        PyErr_NoMemory();
        return SCARD_E_NO_MEMORY;
    }
    UNBLOCKED(rv = api->ListInterfaces(context, card, interfaces_out->items,
                                       &count));
    interfaces_out->count = rv == SCARD_S_SUCCESS ? count : 0;
    return rv;
}

scard_rc scard_GetProviderId(scard_context context, scard_string card,
                             scard_guids *provider_out)
{
    LONG rv;
    API_OR_UNSUPPORTED(api, GetProviderId);
    provider_out->items = (GUID *)PyMem_Calloc(1, sizeof(GUID));
    if (provider_out->items == NULL) {
        PyErr_NoMemory();
        return SCARD_E_NO_MEMORY;
    }
    UNBLOCKED(rv = api->GetProviderId(context, card, provider_out->items));
    provider_out->count = rv == SCARD_S_SUCCESS ? 1 : 0;
    return rv;
}

scard_rc scard_GetCardTypeProviderName(scard_context context, scard_string card,
                                       scard_dword provider,
                                       scard_text_out *name)
{
    DWORD length = 1024;
    LONG rv;
    API_OR_UNSUPPORTED(api, GetCardTypeProviderName);
    name->data = (char *)PyMem_Malloc(length);
    name->length = 0;
    if (name->data == NULL) {
        PyErr_NoMemory();
        return SCARD_E_NO_MEMORY;
    }
    UNBLOCKED(rv = api->GetCardTypeProviderName(context, card, provider,
                                                name->data, &length));
    name->length = rv == SCARD_S_SUCCESS ? length : 0;
    return rv;
}

scard_rc scard_IntroduceCardType(scard_context context, scard_string card,
                                 scard_guids *primary, scard_guids *interfaces,
                                 scard_bytes_in *atr, scard_bytes_in *mask)
{
    LONG rv;
    API_OR_UNSUPPORTED(api, IntroduceCardType);
    if (primary->count != 1 || atr->length != mask->length)
        return SCARD_E_INVALID_PARAMETER;
    UNBLOCKED(rv = api->IntroduceCardType(context, card, primary->items,
                                          interfaces->items, interfaces->count,
                                          atr->data, mask->data, atr->length));
    return rv;
}

scard_rc scard_ForgetCardType(scard_context context, scard_string card)
{
    LONG rv;
    API_OR_UNSUPPORTED(api, ForgetCardType);
    UNBLOCKED(rv = api->ForgetCardType(context, card));
    return rv;
}
