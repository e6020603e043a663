/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "pcsc_calls.h"
#include "pcsc_loader.h"
#include <string.h>

/* Load the library or return with the Python exception set; the SWIG
 * wrapper turns a set exception into a raise. */
#define API_OR_FAIL(api)                   \
    const pcsc_api_table *api = pcsc_api(); \
    if (api == NULL)                        \
        return SCARD_E_NO_SERVICE

/* Run one PC/SC call with the GIL released, so other Python threads run
 * while it blocks (SCardGetStatusChange may block for ever). */
#define UNBLOCKED(statement)   \
    Py_BEGIN_ALLOW_THREADS     \
    statement;                 \
    Py_END_ALLOW_THREADS

scard_rc scard_EstablishContext(scard_dword scope, scard_context *context)
{
    LONG rv;
    API_OR_FAIL(api);
    *context = 0;
    UNBLOCKED(rv = api->EstablishContext(scope, NULL, NULL, context));
    return rv;
}

scard_rc scard_ReleaseContext(scard_context context)
{
    LONG rv;
    API_OR_FAIL(api);
    UNBLOCKED(rv = api->ReleaseContext(context));
    return rv;
}

scard_rc scard_IsValidContext(scard_context context)
{
    LONG rv;
    API_OR_FAIL(api);
    UNBLOCKED(rv = api->IsValidContext(context));
    return rv;
}

/* Calls that fill a multi-string: try a buffer that fits the usual case,
 * and when the library says it is too small, ask for the size and retry
 * (a reader may arrive between two calls, hence the loop). */
typedef LONG (*multistring_call)(const pcsc_api_table *, SCARDCONTEXT,
                                 const char *, char *, LPDWORD);

static LONG call_list_readers(const pcsc_api_table *api, SCARDCONTEXT ctx,
                              const char *groups, char *buf, LPDWORD len)
{
    return api->ListReaders(ctx, groups, buf, len);
}

static LONG call_list_groups(const pcsc_api_table *api, SCARDCONTEXT ctx,
                             const char *unused, char *buf, LPDWORD len)
{
    (void)unused;
    return api->ListReaderGroups(ctx, buf, len);
}

/* No reader or group list comes near this; a larger size is a library
 * fault, and adding to it could wrap the DWORD. */
#define MULTISTRING_LIMIT (1UL << 24)

static scard_rc fill_multistring(const pcsc_api_table *api,
                                 multistring_call call, SCARDCONTEXT ctx,
                                 const char *arg, scard_strings_out *out)
{
    DWORD capacity = 4096;
    LONG rv = SCARD_E_INSUFFICIENT_BUFFER;
    int attempt;

    out->data = NULL;
    out->length = 0;
    for (attempt = 0; attempt < 4 && rv == SCARD_E_INSUFFICIENT_BUFFER;
         attempt++) {
        DWORD length = capacity;
        char *buffer = (char *)PyMem_Realloc(out->data, capacity);
        if (buffer == NULL) {
            PyErr_NoMemory();
            return SCARD_E_NO_MEMORY;
        }
        out->data = buffer;
        memset(buffer, 0, capacity);
        UNBLOCKED(rv = call(api, ctx, arg, buffer, &length));
        if (rv == SCARD_S_SUCCESS) {
            out->length = length <= capacity ? length : capacity;
        } else if (rv == SCARD_E_INSUFFICIENT_BUFFER) {
            length = 0;
            UNBLOCKED(rv = call(api, ctx, arg, NULL, &length));
            if (rv != SCARD_S_SUCCESS)
                break;
            if (length > MULTISTRING_LIMIT) {
                rv = SCARD_E_INSUFFICIENT_BUFFER; /* a broken library: give up */
                break;
            }
            capacity = length + 256;
            rv = SCARD_E_INSUFFICIENT_BUFFER;
        }
    }
    return rv;
}

scard_rc scard_ListReaders(scard_context context, scard_multistring groups,
                           scard_strings_out *readers)
{
    API_OR_FAIL(api);
    return fill_multistring(api, call_list_readers, context, groups, readers);
}

scard_rc scard_ListReaderGroups(scard_context context,
                                scard_strings_out *groups)
{
    API_OR_FAIL(api);
    return fill_multistring(api, call_list_groups, context, NULL, groups);
}

scard_rc scard_Connect(scard_context context, scard_string reader,
                       scard_dword share_mode, scard_dword protocols,
                       scard_card *card, scard_dword *active_protocol)
{
    LONG rv;
    API_OR_FAIL(api);
    *card = 0;
    *active_protocol = 0;
    UNBLOCKED(rv = api->Connect(context, reader, share_mode, protocols, card,
                                active_protocol));
    return rv;
}

scard_rc scard_Reconnect(scard_card card, scard_dword share_mode,
                         scard_dword protocols, scard_dword initialization,
                         scard_dword *active_protocol)
{
    LONG rv;
    API_OR_FAIL(api);
    *active_protocol = 0;
    UNBLOCKED(rv = api->Reconnect(card, share_mode, protocols, initialization,
                                  active_protocol));
    return rv;
}

scard_rc scard_Disconnect(scard_card card, scard_dword disposition)
{
    LONG rv;
    API_OR_FAIL(api);
    UNBLOCKED(rv = api->Disconnect(card, disposition));
    return rv;
}

scard_rc scard_BeginTransaction(scard_card card)
{
    LONG rv;
    API_OR_FAIL(api);
    UNBLOCKED(rv = api->BeginTransaction(card));
    return rv;
}

scard_rc scard_EndTransaction(scard_card card, scard_dword disposition)
{
    LONG rv;
    API_OR_FAIL(api);
    UNBLOCKED(rv = api->EndTransaction(card, disposition));
    return rv;
}

/* The reader name buffer: zeroed, so that a library claiming bytes it
 * never wrote yields an empty name rather than heap garbage. */
static char *name_buffer(char *old, DWORD size)
{
    char *buffer = (char *)PyMem_Realloc(old, size);

    if (buffer == NULL) {
        PyMem_Free(old);
        PyErr_NoMemory();
        return NULL;
    }
    memset(buffer, 0, size);
    return buffer;
}

scard_rc scard_Status(scard_card card, scard_text_out *reader,
                      scard_dword *state, scard_dword *protocol,
                      scard_bytes_out *atr)
{
    DWORD capacity = 1024, name_length, atr_length;
    LONG rv;
    API_OR_FAIL(api);
    *state = *protocol = 0;
    reader->length = 0;
    reader->data = name_buffer(NULL, capacity);
    if (reader->data == NULL)
        return SCARD_E_NO_MEMORY;
    name_length = capacity;
    atr_length = atr->length;
    UNBLOCKED(rv = api->Status(card, reader->data, &name_length, state,
                               protocol, atr->data, &atr_length));
    if (rv == SCARD_E_INSUFFICIENT_BUFFER) {
        /* A reader name over 1 KiB: ask its size and try once more. */
        name_length = 0;
        atr_length = atr->length;
        UNBLOCKED(rv = api->Status(card, NULL, &name_length, state, protocol,
                                   atr->data, &atr_length));
        if (rv == SCARD_S_SUCCESS && name_length < 0x100000) {
            capacity = name_length + 1;
            reader->data = name_buffer(reader->data, capacity);
            if (reader->data == NULL)
                return SCARD_E_NO_MEMORY;
            name_length = capacity;
            atr_length = atr->length;
            UNBLOCKED(rv = api->Status(card, reader->data, &name_length, state,
                                       protocol, atr->data, &atr_length));
        } else if (rv == SCARD_S_SUCCESS) {
            rv = SCARD_E_INSUFFICIENT_BUFFER; /* no reader has a 1 MiB name */
        }
    }
    if (rv == SCARD_S_SUCCESS) {
        /* Never trust a returned length beyond the buffer it describes. */
        reader->length = name_length <= capacity ? name_length : capacity;
        atr->length = atr_length <= atr->length ? atr_length : 0;
    } else {
        atr->length = 0;
        *state = *protocol = 0;
    }
    return rv;
}

scard_rc scard_GetStatusChange(scard_context context, scard_dword timeout,
                               scard_readerstates *states)
{
    LONG rv;
    API_OR_FAIL(api);
    UNBLOCKED(rv = api->GetStatusChange(context, timeout, states->states,
                                        states->count));
    return rv;
}

scard_rc scard_Control(scard_card card, scard_dword code,
                       scard_bytes_in *command, scard_bytes_out *response)
{
    DWORD returned = 0;
    LONG rv;
    API_OR_FAIL(api);
    UNBLOCKED(rv = api->Control(card, code, command->data, command->length,
                                response->data, response->length, &returned));
    response->length = (rv == SCARD_S_SUCCESS && returned <= response->length)
                           ? returned
                           : 0;
    return rv;
}

/* The protocol control information for a protocol number: the library's
 * own exported structures where it has them, ours otherwise. */
static const SCARD_IO_REQUEST *pci_for(const pcsc_api_table *api,
                                       DWORD protocol)
{
    static SCARD_IO_REQUEST t0 = {SCARD_PROTOCOL_T0, sizeof(SCARD_IO_REQUEST)};
    static SCARD_IO_REQUEST t1 = {SCARD_PROTOCOL_T1, sizeof(SCARD_IO_REQUEST)};
    static SCARD_IO_REQUEST raw = {SCARD_PROTOCOL_RAW,
                                   sizeof(SCARD_IO_REQUEST)};
    switch (protocol) {
    case SCARD_PROTOCOL_T0:
        return api->pci_t0 ? api->pci_t0 : &t0;
    case SCARD_PROTOCOL_T1:
        return api->pci_t1 ? api->pci_t1 : &t1;
    case SCARD_PROTOCOL_RAW:
        return api->pci_raw ? api->pci_raw : &raw;
    default:
        return NULL;
    }
}

scard_rc scard_Transmit(scard_card card, scard_dword protocol,
                        scard_bytes_in *command, scard_bytes_out *response)
{
    const SCARD_IO_REQUEST *pci;
    DWORD length = response->length;
    LONG rv;
    API_OR_FAIL(api);
    pci = pci_for(api, protocol);
    /* An empty APDU is no command: some cards never answer it, which
     * would hang the caller and the reader (pyscard refuses it too). */
    if (pci == NULL || command->length == 0) {
        response->length = 0;
        return SCARD_E_INVALID_PARAMETER;
    }
    UNBLOCKED(rv = api->Transmit(card, pci, command->data, command->length,
                                 NULL, response->data, &length));
    response->length = (rv == SCARD_S_SUCCESS && length <= response->length)
                           ? length
                           : 0;
    return rv;
}

scard_rc scard_Cancel(scard_context context)
{
    LONG rv;
    API_OR_FAIL(api);
    UNBLOCKED(rv = api->Cancel(context));
    return rv;
}

/* pcsc-lite refuses attribute buffers over its MAX_BUFFER_SIZE (264
 * bytes): ask with that much first, and only for a longer attribute ask
 * its size and call again with exactly that. */
#define ATTRIBUTE_FIRST_TRY 264

scard_rc scard_GetAttrib(scard_card card, scard_dword attribute,
                         scard_bytes_out *value)
{
    DWORD capacity = value->length, length;
    LONG rv;
    API_OR_FAIL(api);
    length = capacity < ATTRIBUTE_FIRST_TRY ? capacity : ATTRIBUTE_FIRST_TRY;
    UNBLOCKED(rv = api->GetAttrib(card, attribute, value->data, &length));
    if (rv == SCARD_E_INSUFFICIENT_BUFFER) {
        length = 0;
        UNBLOCKED(rv = api->GetAttrib(card, attribute, NULL, &length));
        if (rv == SCARD_S_SUCCESS && length > capacity)
            rv = SCARD_E_INSUFFICIENT_BUFFER;
        else if (rv == SCARD_S_SUCCESS)
            UNBLOCKED(rv = api->GetAttrib(card, attribute, value->data, &length));
    }
    value->length = (rv == SCARD_S_SUCCESS && length <= capacity) ? length : 0;
    return rv;
}

scard_rc scard_SetAttrib(scard_card card, scard_dword attribute,
                         scard_bytes_in *value)
{
    LONG rv;
    API_OR_FAIL(api);
    UNBLOCKED(rv = api->SetAttrib(card, attribute, value->data,
                                  value->length));
    return rv;
}

/* Text for a PC/SC code: the library's own where it has one (pcsc-lite,
 * macOS), the system's message table on Windows. */
PyObject *scard_GetErrorMessage(scard_dword code)
{
#if defined(_WIN32)
    char text[512];
    DWORD n = FormatMessageA(
        FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL,
        (DWORD)code, MAKELANGID(LANG_NEUTRAL, SUBLANG_DEFAULT), text,
        sizeof text, NULL);
    while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == '\r'))
        text[--n] = '\0';
    if (n == 0)
        return PyUnicode_FromFormat("Unknown error: 0x%08lX",
                                    (unsigned long)(DWORD)code);
    return PyUnicode_DecodeMBCS(text, (Py_ssize_t)n, "replace");
#else
    const pcsc_api_table *api = pcsc_api();
    if (api == NULL)
        return NULL;
    if (api->StringifyError != NULL) {
        const char *text = api->StringifyError((LONG)code);
        if (text == NULL) /* a faulty library: no text rather than a crash */
            return PyUnicode_FromFormat("Unknown error: 0x%08lX",
                                        (unsigned long)(DWORD)code);
        return PyUnicode_DecodeUTF8(text, (Py_ssize_t)strlen(text), "replace");
    }
    return PyUnicode_FromFormat("Unknown error: 0x%08lX",
                                (unsigned long)(DWORD)code);
#endif
}

/* SCARD_CTL_CODE: vendor IOCTL numbering differs between Windows and
 * pcsc-lite (and PCSC.framework, which follows pcsc-lite). The result is
 * a control code, a 32-bit DWORD as SCardControl takes it: a code whose
 * result would not fit is refused rather than wrapped. */
#if defined(_WIN32)
#  define CTL_CODE_MAX 0x3FFFFFFFULL
#  define CTL_CODE_OF(code) ((0x31UL << 16) | ((unsigned long)(code) << 2))
#else
#  define CTL_CODE_MAX (0xFFFFFFFFULL - 0x42000000ULL)
#  define CTL_CODE_OF(code) (0x42000000UL + (unsigned long)(code))
#endif

PyObject *scard_CtlCode(PyObject *code)
{
    unsigned long long value;
    int overflow;
    long long signed_value;

    if (!PyLong_Check(code)) {
        PyErr_Format(PyExc_TypeError, "SCARD_CTL_CODE: code must be an int, not %.80s",
                     Py_TYPE(code)->tp_name);
        return NULL;
    }
    signed_value = PyLong_AsLongLongAndOverflow(code, &overflow);
    if (signed_value == -1 && PyErr_Occurred())
        return NULL;
    value = (unsigned long long)signed_value;
    if (overflow != 0 || signed_value < 0 || value > CTL_CODE_MAX) {
        PyErr_Format(PyExc_OverflowError,
                     "SCARD_CTL_CODE: code %R is outside 0..%llu: the control code "
                     "would not fit in 32 bits",
                     code, (unsigned long long)CTL_CODE_MAX);
        return NULL;
    }
    return PyLong_FromUnsignedLong(CTL_CODE_OF(value));
}

/* ---- reader groups administration -------------------------------------- */

#if defined(PCSC_HAS_CARD_DATABASE)
#  define OPTIONAL_CALL(field, args)                 \
    LONG rv;                                         \
    API_OR_FAIL(api);                                \
    if (api->field == NULL)                          \
        return SCARD_E_UNSUPPORTED_FEATURE;          \
    UNBLOCKED(rv = api->field args);                 \
    return rv
#else
#  define OPTIONAL_CALL(field, args) return SCARD_E_UNSUPPORTED_FEATURE
#endif

scard_rc scard_IntroduceReaderGroup(scard_context context, scard_string group)
{
    (void)context; (void)group;
    OPTIONAL_CALL(IntroduceReaderGroup, (context, group));
}

scard_rc scard_ForgetReaderGroup(scard_context context, scard_string group)
{
    (void)context; (void)group;
    OPTIONAL_CALL(ForgetReaderGroup, (context, group));
}

scard_rc scard_IntroduceReader(scard_context context, scard_string reader,
                               scard_string device)
{
    (void)context; (void)reader; (void)device;
    OPTIONAL_CALL(IntroduceReader, (context, reader, device));
}

scard_rc scard_ForgetReader(scard_context context, scard_string reader)
{
    (void)context; (void)reader;
    OPTIONAL_CALL(ForgetReader, (context, reader));
}

scard_rc scard_AddReaderToGroup(scard_context context, scard_string reader,
                                scard_string group)
{
    (void)context; (void)reader; (void)group;
    OPTIONAL_CALL(AddReaderToGroup, (context, reader, group));
}

scard_rc scard_RemoveReaderFromGroup(scard_context context, scard_string reader,
                                     scard_string group)
{
    (void)context; (void)reader; (void)group;
    OPTIONAL_CALL(RemoveReaderFromGroup, (context, reader, group));
}
