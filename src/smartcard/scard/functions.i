/* SPDX-License-Identifier: LGPL-2.1-or-later
 * The winscard calls, under the names pyscard gives them. Each doc line
 * names the C call wrapped and the Python shape of the result. */


/* SCardTransmit (and SCardTransmitBytes, its twin with a bytes response),
 * SCardStatus and SCardGetStatusChange are bound by hand in pcsc_fast.c
 * (METH_FASTCALL), registered by scard.i's %init. */

%feature("docstring") scard_EstablishContext
"SCardEstablishContext(dwScope) -> [hresult, hcontext]";
%rename(SCardEstablishContext) scard_EstablishContext;
scard_rc scard_EstablishContext(scard_dword dwScope, scard_context *context);

%feature("docstring") scard_ReleaseContext "SCardReleaseContext(hcontext) -> hresult";
%rename(SCardReleaseContext) scard_ReleaseContext;
scard_rc scard_ReleaseContext(scard_context context);

%feature("docstring") scard_IsValidContext "SCardIsValidContext(hcontext) -> hresult";
%rename(SCardIsValidContext) scard_IsValidContext;
scard_rc scard_IsValidContext(scard_context context);

%feature("docstring") scard_ListReaders
"SCardListReaders(hcontext, readergroups) -> [hresult, [reader names]]

readergroups is a list of group names; [] lists the readers of every group.";
%rename(SCardListReaders) scard_ListReaders;
scard_rc scard_ListReaders(scard_context context, scard_multistring readergroups,
                           scard_strings_out *readers);

%feature("docstring") scard_ListReaderGroups
"SCardListReaderGroups(hcontext) -> [hresult, [group names]]";
%rename(SCardListReaderGroups) scard_ListReaderGroups;
scard_rc scard_ListReaderGroups(scard_context context, scard_strings_out *groups);

%feature("docstring") scard_Connect
"SCardConnect(hcontext, readername, dwShareMode, dwPreferredProtocols)
-> [hresult, hcard, dwActiveProtocol]";
%rename(SCardConnect) scard_Connect;
scard_rc scard_Connect(scard_context context, scard_string readername,
                       scard_dword dwShareMode, scard_dword dwPreferredProtocols,
                       scard_card *card, scard_dword *active_protocol);

%feature("docstring") scard_Reconnect
"SCardReconnect(hcard, dwShareMode, dwPreferredProtocols, dwInitialization)
-> [hresult, dwActiveProtocol]";
%rename(SCardReconnect) scard_Reconnect;
scard_rc scard_Reconnect(scard_card card, scard_dword dwShareMode,
                         scard_dword dwPreferredProtocols,
                         scard_dword dwInitialization,
                         scard_dword *active_protocol);

%feature("docstring") scard_Disconnect "SCardDisconnect(hcard, dwDisposition) -> hresult";
%rename(SCardDisconnect) scard_Disconnect;
scard_rc scard_Disconnect(scard_card card, scard_dword dwDisposition);

%feature("docstring") scard_BeginTransaction "SCardBeginTransaction(hcard) -> hresult";
%rename(SCardBeginTransaction) scard_BeginTransaction;
scard_rc scard_BeginTransaction(scard_card card);

%feature("docstring") scard_EndTransaction
"SCardEndTransaction(hcard, dwDisposition) -> hresult";
%rename(SCardEndTransaction) scard_EndTransaction;
scard_rc scard_EndTransaction(scard_card card, scard_dword dwDisposition);



%feature("docstring") scard_Control
"SCardControl(hcard, dwControlCode, inbuffer) -> [hresult, outbuffer]";
%rename(SCardControl) scard_Control;
scard_rc scard_Control(scard_card card, scard_dword dwControlCode,
                       scard_bytes_in *inbuffer, scard_bytes_out *response);


%feature("docstring") scard_Cancel "SCardCancel(hcontext) -> hresult";
%rename(SCardCancel) scard_Cancel;
scard_rc scard_Cancel(scard_context context);

%feature("docstring") scard_GetAttrib
"SCardGetAttrib(hcard, dwAttrId) -> [hresult, attribute bytes]";
%rename(SCardGetAttrib) scard_GetAttrib;
scard_rc scard_GetAttrib(scard_card card, scard_dword dwAttrId,
                         scard_bytes_out *value);

%feature("docstring") scard_SetAttrib
"SCardSetAttrib(hcard, dwAttrId, attribute bytes) -> hresult";
%rename(SCardSetAttrib) scard_SetAttrib;
scard_rc scard_SetAttrib(scard_card card, scard_dword dwAttrId,
                         scard_bytes_in *attrib);

%feature("docstring") scard_GetErrorMessage
"SCardGetErrorMessage(hresult) -> str: the platform's text for a PC/SC code";
%rename(SCardGetErrorMessage) scard_GetErrorMessage;
PyObject *scard_GetErrorMessage(scard_dword hresult);

%feature("docstring") scard_CtlCode
"SCARD_CTL_CODE(code) -> int: the platform's control code for a vendor IOCTL";
%rename(SCARD_CTL_CODE) scard_CtlCode;
PyObject *scard_CtlCode(PyObject *code);

%feature("docstring") scard_IntroduceReaderGroup
"SCardIntroduceReaderGroup(hcontext, groupname) -> hresult (Windows only;
SCARD_E_UNSUPPORTED_FEATURE elsewhere)";
%rename(SCardIntroduceReaderGroup) scard_IntroduceReaderGroup;
scard_rc scard_IntroduceReaderGroup(scard_context context, scard_string groupname);

%rename(SCardForgetReaderGroup) scard_ForgetReaderGroup;
scard_rc scard_ForgetReaderGroup(scard_context context, scard_string groupname);
%rename(SCardIntroduceReader) scard_IntroduceReader;
scard_rc scard_IntroduceReader(scard_context context, scard_string readername,
                               scard_string devicename);
%rename(SCardForgetReader) scard_ForgetReader;
scard_rc scard_ForgetReader(scard_context context, scard_string readername);
%rename(SCardAddReaderToGroup) scard_AddReaderToGroup;
scard_rc scard_AddReaderToGroup(scard_context context, scard_string readername,
                                scard_string groupname);
%rename(SCardRemoveReaderFromGroup) scard_RemoveReaderFromGroup;
scard_rc scard_RemoveReaderFromGroup(scard_context context,
                                     scard_string readername,
                                     scard_string groupname);

#if defined(SCARD_WINDOWS)
%include "functions_windows.i"
#endif
