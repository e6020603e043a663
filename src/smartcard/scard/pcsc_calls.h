/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * One C function per winscard call, in pyscard's argument order. Each
 * loads the library on first use, releases the GIL around the PC/SC
 * call and leaves conversion to and from Python to the SWIG typemaps. */
#ifndef SCARD_PCSC_CALLS_H
#define SCARD_PCSC_CALLS_H

#include "pcsc_convert.h"

/* Distinct names so that each SWIG typemap applies to one role only. */
typedef pcsc_result scard_rc;
typedef DWORD scard_dword;
typedef SCARDCONTEXT scard_context;
typedef SCARDHANDLE scard_card;
typedef const char *scard_string;
typedef char *scard_multistring;
typedef struct { char *data; DWORD length; } scard_strings_out;
typedef struct { char *data; DWORD length; } scard_text_out;

scard_rc scard_EstablishContext(scard_dword scope, scard_context *context);
scard_rc scard_ReleaseContext(scard_context context);
scard_rc scard_IsValidContext(scard_context context);
scard_rc scard_ListReaders(scard_context context, scard_multistring groups,
                           scard_strings_out *readers);
scard_rc scard_ListReaderGroups(scard_context context,
                                scard_strings_out *groups);
scard_rc scard_Connect(scard_context context, scard_string reader,
                       scard_dword share_mode, scard_dword protocols,
                       scard_card *card, scard_dword *active_protocol);
scard_rc scard_Reconnect(scard_card card, scard_dword share_mode,
                         scard_dword protocols, scard_dword initialization,
                         scard_dword *active_protocol);
scard_rc scard_Disconnect(scard_card card, scard_dword disposition);
scard_rc scard_BeginTransaction(scard_card card);
scard_rc scard_EndTransaction(scard_card card, scard_dword disposition);
scard_rc scard_Status(scard_card card, scard_text_out *reader,
                      scard_dword *state, scard_dword *protocol,
                      scard_bytes_out *atr);
scard_rc scard_GetStatusChange(scard_context context, scard_dword timeout,
                               scard_readerstates *states);
scard_rc scard_Control(scard_card card, scard_dword code,
                       scard_bytes_in *command, scard_bytes_out *response);
scard_rc scard_Transmit(scard_card card, scard_dword protocol,
                        scard_bytes_in *command, scard_bytes_out *response);
scard_rc scard_Cancel(scard_context context);
scard_rc scard_GetAttrib(scard_card card, scard_dword attribute,
                         scard_bytes_out *value);
scard_rc scard_SetAttrib(scard_card card, scard_dword attribute,
                         scard_bytes_in *value);
PyObject *scard_GetErrorMessage(scard_dword code);
PyObject *scard_CtlCode(PyObject *code);

/* Reader group administration: Windows only; elsewhere they answer
 * SCARD_E_UNSUPPORTED_FEATURE, as pcsc-lite has no such calls. */
scard_rc scard_IntroduceReaderGroup(scard_context context, scard_string group);
scard_rc scard_ForgetReaderGroup(scard_context context, scard_string group);
scard_rc scard_IntroduceReader(scard_context context, scard_string reader,
                               scard_string device);
scard_rc scard_ForgetReader(scard_context context, scard_string reader);
scard_rc scard_AddReaderToGroup(scard_context context, scard_string reader,
                                scard_string group);
scard_rc scard_RemoveReaderFromGroup(scard_context context, scard_string reader,
                                     scard_string group);

#if defined(PCSC_HAS_CARD_DATABASE)
typedef struct { GUID *items; DWORD count; } scard_guids;
int scard_guids_parse(PyObject *obj, scard_guids *out, const char *what);
PyObject *scard_guids_to_python(const scard_guids *guids);
scard_rc scard_ListCards(scard_context context, scard_bytes_in *atr,
                         scard_guids *interfaces, scard_strings_out *cards);
scard_rc scard_LocateCards(scard_context context, scard_multistring cards,
                           scard_readerstates *states);
scard_rc scard_ListInterfaces(scard_context context, scard_string card,
                              scard_guids *interfaces_out);
scard_rc scard_GetProviderId(scard_context context, scard_string card,
                             scard_guids *provider_out);
scard_rc scard_GetCardTypeProviderName(scard_context context, scard_string card,
                                       scard_dword provider,
                                       scard_text_out *name);
scard_rc scard_IntroduceCardType(scard_context context, scard_string card,
                                 scard_guids *primary, scard_guids *interfaces,
                                 scard_bytes_in *atr, scard_bytes_in *mask);
scard_rc scard_ForgetCardType(scard_context context, scard_string card);
#endif

#endif
