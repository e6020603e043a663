/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Every constant of the module, with the platform's own value. Result
 * codes have the platform's LONG type, so they compare equal to what the
 * calls return; the rest are DWORD flags and identifiers. */

/* Result codes. */
%constant long SCARD_E_BAD_SEEK = (long)SCARD_E_BAD_SEEK;
%constant long SCARD_E_CANCELLED = (long)SCARD_E_CANCELLED;
%constant long SCARD_E_CANT_DISPOSE = (long)SCARD_E_CANT_DISPOSE;
%constant long SCARD_E_CARD_UNSUPPORTED = (long)SCARD_E_CARD_UNSUPPORTED;
%constant long SCARD_E_CERTIFICATE_UNAVAILABLE = (long)SCARD_E_CERTIFICATE_UNAVAILABLE;
%constant long SCARD_E_COMM_DATA_LOST = (long)SCARD_E_COMM_DATA_LOST;
%constant long SCARD_E_DIR_NOT_FOUND = (long)SCARD_E_DIR_NOT_FOUND;
%constant long SCARD_E_DUPLICATE_READER = (long)SCARD_E_DUPLICATE_READER;
%constant long SCARD_E_FILE_NOT_FOUND = (long)SCARD_E_FILE_NOT_FOUND;
%constant long SCARD_E_ICC_CREATEORDER = (long)SCARD_E_ICC_CREATEORDER;
%constant long SCARD_E_ICC_INSTALLATION = (long)SCARD_E_ICC_INSTALLATION;
%constant long SCARD_E_INSUFFICIENT_BUFFER = (long)SCARD_E_INSUFFICIENT_BUFFER;
%constant long SCARD_E_INVALID_ATR = (long)SCARD_E_INVALID_ATR;
%constant long SCARD_E_INVALID_CHV = (long)SCARD_E_INVALID_CHV;
%constant long SCARD_E_INVALID_HANDLE = (long)SCARD_E_INVALID_HANDLE;
%constant long SCARD_E_INVALID_PARAMETER = (long)SCARD_E_INVALID_PARAMETER;
%constant long SCARD_E_INVALID_TARGET = (long)SCARD_E_INVALID_TARGET;
%constant long SCARD_E_INVALID_VALUE = (long)SCARD_E_INVALID_VALUE;
%constant long SCARD_E_NOT_READY = (long)SCARD_E_NOT_READY;
%constant long SCARD_E_NOT_TRANSACTED = (long)SCARD_E_NOT_TRANSACTED;
%constant long SCARD_E_NO_ACCESS = (long)SCARD_E_NO_ACCESS;
%constant long SCARD_E_NO_DIR = (long)SCARD_E_NO_DIR;
%constant long SCARD_E_NO_FILE = (long)SCARD_E_NO_FILE;
%constant long SCARD_E_NO_KEY_CONTAINER = (long)SCARD_E_NO_KEY_CONTAINER;
%constant long SCARD_E_NO_MEMORY = (long)SCARD_E_NO_MEMORY;
%constant long SCARD_E_NO_READERS_AVAILABLE = (long)SCARD_E_NO_READERS_AVAILABLE;
%constant long SCARD_E_NO_SERVICE = (long)SCARD_E_NO_SERVICE;
%constant long SCARD_E_NO_SMARTCARD = (long)SCARD_E_NO_SMARTCARD;
%constant long SCARD_E_NO_SUCH_CERTIFICATE = (long)SCARD_E_NO_SUCH_CERTIFICATE;
%constant long SCARD_E_PCI_TOO_SMALL = (long)SCARD_E_PCI_TOO_SMALL;
%constant long SCARD_E_PROTO_MISMATCH = (long)SCARD_E_PROTO_MISMATCH;
%constant long SCARD_E_READER_UNAVAILABLE = (long)SCARD_E_READER_UNAVAILABLE;
%constant long SCARD_E_READER_UNSUPPORTED = (long)SCARD_E_READER_UNSUPPORTED;
%constant long SCARD_E_SERVER_TOO_BUSY = (long)SCARD_E_SERVER_TOO_BUSY;
%constant long SCARD_E_SERVICE_STOPPED = (long)SCARD_E_SERVICE_STOPPED;
%constant long SCARD_E_SHARING_VIOLATION = (long)SCARD_E_SHARING_VIOLATION;
%constant long SCARD_E_SYSTEM_CANCELLED = (long)SCARD_E_SYSTEM_CANCELLED;
%constant long SCARD_E_TIMEOUT = (long)SCARD_E_TIMEOUT;
%constant long SCARD_E_UNEXPECTED = (long)SCARD_E_UNEXPECTED;
%constant long SCARD_E_UNKNOWN_CARD = (long)SCARD_E_UNKNOWN_CARD;
%constant long SCARD_E_UNKNOWN_READER = (long)SCARD_E_UNKNOWN_READER;
%constant long SCARD_E_UNKNOWN_RES_MNG = (long)SCARD_E_UNKNOWN_RES_MNG;
%constant long SCARD_E_UNSUPPORTED_FEATURE = (long)SCARD_E_UNSUPPORTED_FEATURE;
%constant long SCARD_E_WRITE_TOO_MANY = (long)SCARD_E_WRITE_TOO_MANY;
%constant long SCARD_F_COMM_ERROR = (long)SCARD_F_COMM_ERROR;
%constant long SCARD_F_INTERNAL_ERROR = (long)SCARD_F_INTERNAL_ERROR;
%constant long SCARD_F_UNKNOWN_ERROR = (long)SCARD_F_UNKNOWN_ERROR;
%constant long SCARD_F_WAITED_TOO_LONG = (long)SCARD_F_WAITED_TOO_LONG;
%constant long SCARD_P_SHUTDOWN = (long)SCARD_P_SHUTDOWN;
%constant long SCARD_S_SUCCESS = (long)SCARD_S_SUCCESS;
%constant long SCARD_W_CANCELLED_BY_USER = (long)SCARD_W_CANCELLED_BY_USER;
%constant long SCARD_W_CARD_NOT_AUTHENTICATED = (long)SCARD_W_CARD_NOT_AUTHENTICATED;
%constant long SCARD_W_CHV_BLOCKED = (long)SCARD_W_CHV_BLOCKED;
%constant long SCARD_W_EOF = (long)SCARD_W_EOF;
%constant long SCARD_W_REMOVED_CARD = (long)SCARD_W_REMOVED_CARD;
%constant long SCARD_W_RESET_CARD = (long)SCARD_W_RESET_CARD;
%constant long SCARD_W_SECURITY_VIOLATION = (long)SCARD_W_SECURITY_VIOLATION;
%constant long SCARD_W_UNPOWERED_CARD = (long)SCARD_W_UNPOWERED_CARD;
%constant long SCARD_W_UNRESPONSIVE_CARD = (long)SCARD_W_UNRESPONSIVE_CARD;
%constant long SCARD_W_UNSUPPORTED_CARD = (long)SCARD_W_UNSUPPORTED_CARD;
%constant long SCARD_W_WRONG_CHV = (long)SCARD_W_WRONG_CHV;

/* Scopes, share modes, protocols, dispositions, states, attributes. */
%constant unsigned long SCARD_ATTR_ASYNC_PROTOCOL_TYPES = (unsigned long)SCARD_ATTR_ASYNC_PROTOCOL_TYPES;
%constant unsigned long SCARD_ATTR_ATR_STRING = (unsigned long)SCARD_ATTR_ATR_STRING;
%constant unsigned long SCARD_ATTR_CHANNEL_ID = (unsigned long)SCARD_ATTR_CHANNEL_ID;
%constant unsigned long SCARD_ATTR_CHARACTERISTICS = (unsigned long)SCARD_ATTR_CHARACTERISTICS;
%constant unsigned long SCARD_ATTR_CURRENT_BWT = (unsigned long)SCARD_ATTR_CURRENT_BWT;
%constant unsigned long SCARD_ATTR_CURRENT_CLK = (unsigned long)SCARD_ATTR_CURRENT_CLK;
%constant unsigned long SCARD_ATTR_CURRENT_CWT = (unsigned long)SCARD_ATTR_CURRENT_CWT;
%constant unsigned long SCARD_ATTR_CURRENT_D = (unsigned long)SCARD_ATTR_CURRENT_D;
%constant unsigned long SCARD_ATTR_CURRENT_EBC_ENCODING = (unsigned long)SCARD_ATTR_CURRENT_EBC_ENCODING;
%constant unsigned long SCARD_ATTR_CURRENT_F = (unsigned long)SCARD_ATTR_CURRENT_F;
%constant unsigned long SCARD_ATTR_CURRENT_IFSC = (unsigned long)SCARD_ATTR_CURRENT_IFSC;
%constant unsigned long SCARD_ATTR_CURRENT_IFSD = (unsigned long)SCARD_ATTR_CURRENT_IFSD;
%constant unsigned long SCARD_ATTR_CURRENT_IO_STATE = (unsigned long)SCARD_ATTR_CURRENT_IO_STATE;
%constant unsigned long SCARD_ATTR_CURRENT_N = (unsigned long)SCARD_ATTR_CURRENT_N;
%constant unsigned long SCARD_ATTR_CURRENT_PROTOCOL_TYPE = (unsigned long)SCARD_ATTR_CURRENT_PROTOCOL_TYPE;
%constant unsigned long SCARD_ATTR_CURRENT_W = (unsigned long)SCARD_ATTR_CURRENT_W;
%constant unsigned long SCARD_ATTR_DEFAULT_CLK = (unsigned long)SCARD_ATTR_DEFAULT_CLK;
%constant unsigned long SCARD_ATTR_DEFAULT_DATA_RATE = (unsigned long)SCARD_ATTR_DEFAULT_DATA_RATE;
%constant unsigned long SCARD_ATTR_DEVICE_FRIENDLY_NAME = (unsigned long)SCARD_ATTR_DEVICE_FRIENDLY_NAME;
%constant unsigned long SCARD_ATTR_DEVICE_FRIENDLY_NAME_A = (unsigned long)SCARD_ATTR_DEVICE_FRIENDLY_NAME_A;
%constant unsigned long SCARD_ATTR_DEVICE_FRIENDLY_NAME_W = (unsigned long)SCARD_ATTR_DEVICE_FRIENDLY_NAME_W;
%constant unsigned long SCARD_ATTR_DEVICE_IN_USE = (unsigned long)SCARD_ATTR_DEVICE_IN_USE;
%constant unsigned long SCARD_ATTR_DEVICE_SYSTEM_NAME = (unsigned long)SCARD_ATTR_DEVICE_SYSTEM_NAME;
%constant unsigned long SCARD_ATTR_DEVICE_SYSTEM_NAME_A = (unsigned long)SCARD_ATTR_DEVICE_SYSTEM_NAME_A;
%constant unsigned long SCARD_ATTR_DEVICE_SYSTEM_NAME_W = (unsigned long)SCARD_ATTR_DEVICE_SYSTEM_NAME_W;
%constant unsigned long SCARD_ATTR_DEVICE_UNIT = (unsigned long)SCARD_ATTR_DEVICE_UNIT;
%constant unsigned long SCARD_ATTR_ESC_AUTHREQUEST = (unsigned long)SCARD_ATTR_ESC_AUTHREQUEST;
%constant unsigned long SCARD_ATTR_ESC_CANCEL = (unsigned long)SCARD_ATTR_ESC_CANCEL;
%constant unsigned long SCARD_ATTR_ESC_RESET = (unsigned long)SCARD_ATTR_ESC_RESET;
%constant unsigned long SCARD_ATTR_EXTENDED_BWT = (unsigned long)SCARD_ATTR_EXTENDED_BWT;
%constant unsigned long SCARD_ATTR_ICC_INTERFACE_STATUS = (unsigned long)SCARD_ATTR_ICC_INTERFACE_STATUS;
%constant unsigned long SCARD_ATTR_ICC_PRESENCE = (unsigned long)SCARD_ATTR_ICC_PRESENCE;
%constant unsigned long SCARD_ATTR_ICC_TYPE_PER_ATR = (unsigned long)SCARD_ATTR_ICC_TYPE_PER_ATR;
%constant unsigned long SCARD_ATTR_MAXINPUT = (unsigned long)SCARD_ATTR_MAXINPUT;
%constant unsigned long SCARD_ATTR_MAX_CLK = (unsigned long)SCARD_ATTR_MAX_CLK;
%constant unsigned long SCARD_ATTR_MAX_DATA_RATE = (unsigned long)SCARD_ATTR_MAX_DATA_RATE;
%constant unsigned long SCARD_ATTR_MAX_IFSD = (unsigned long)SCARD_ATTR_MAX_IFSD;
%constant unsigned long SCARD_ATTR_POWER_MGMT_SUPPORT = (unsigned long)SCARD_ATTR_POWER_MGMT_SUPPORT;
%constant unsigned long SCARD_ATTR_SUPRESS_T1_IFS_REQUEST = (unsigned long)SCARD_ATTR_SUPRESS_T1_IFS_REQUEST;
%constant unsigned long SCARD_ATTR_SYNC_PROTOCOL_TYPES = (unsigned long)SCARD_ATTR_SYNC_PROTOCOL_TYPES;
%constant unsigned long SCARD_ATTR_USER_AUTH_INPUT_DEVICE = (unsigned long)SCARD_ATTR_USER_AUTH_INPUT_DEVICE;
%constant unsigned long SCARD_ATTR_USER_TO_CARD_AUTH_DEVICE = (unsigned long)SCARD_ATTR_USER_TO_CARD_AUTH_DEVICE;
%constant unsigned long SCARD_ATTR_VENDOR_IFD_SERIAL_NO = (unsigned long)SCARD_ATTR_VENDOR_IFD_SERIAL_NO;
%constant unsigned long SCARD_ATTR_VENDOR_IFD_TYPE = (unsigned long)SCARD_ATTR_VENDOR_IFD_TYPE;
%constant unsigned long SCARD_ATTR_VENDOR_IFD_VERSION = (unsigned long)SCARD_ATTR_VENDOR_IFD_VERSION;
%constant unsigned long SCARD_ATTR_VENDOR_NAME = (unsigned long)SCARD_ATTR_VENDOR_NAME;
%constant unsigned long SCARD_EJECT_CARD = (unsigned long)SCARD_EJECT_CARD;
%constant unsigned long SCARD_LEAVE_CARD = (unsigned long)SCARD_LEAVE_CARD;
%constant unsigned long SCARD_PROTOCOL_ANY = (unsigned long)SCARD_PROTOCOL_ANY;
%constant unsigned long SCARD_PROTOCOL_DEFAULT = (unsigned long)SCARD_PROTOCOL_DEFAULT;
%constant unsigned long SCARD_PROTOCOL_OPTIMAL = (unsigned long)SCARD_PROTOCOL_OPTIMAL;
%constant unsigned long SCARD_PROTOCOL_RAW = (unsigned long)SCARD_PROTOCOL_RAW;
%constant unsigned long SCARD_PROTOCOL_T0 = (unsigned long)SCARD_PROTOCOL_T0;
%constant unsigned long SCARD_PROTOCOL_T1 = (unsigned long)SCARD_PROTOCOL_T1;
%constant unsigned long SCARD_PROTOCOL_T15 = (unsigned long)SCARD_PROTOCOL_T15;
%constant unsigned long SCARD_PROTOCOL_Tx = (unsigned long)SCARD_PROTOCOL_Tx;
%constant unsigned long SCARD_PROTOCOL_UNDEFINED = (unsigned long)SCARD_PROTOCOL_UNDEFINED;
%constant unsigned long SCARD_PROTOCOL_UNSET = (unsigned long)SCARD_PROTOCOL_UNSET;
%constant unsigned long SCARD_RESET_CARD = (unsigned long)SCARD_RESET_CARD;
%constant unsigned long SCARD_SCOPE_SYSTEM = (unsigned long)SCARD_SCOPE_SYSTEM;
%constant unsigned long SCARD_SCOPE_TERMINAL = (unsigned long)SCARD_SCOPE_TERMINAL;
%constant unsigned long SCARD_SCOPE_USER = (unsigned long)SCARD_SCOPE_USER;
%constant unsigned long SCARD_SHARE_DIRECT = (unsigned long)SCARD_SHARE_DIRECT;
%constant unsigned long SCARD_SHARE_EXCLUSIVE = (unsigned long)SCARD_SHARE_EXCLUSIVE;
%constant unsigned long SCARD_SHARE_SHARED = (unsigned long)SCARD_SHARE_SHARED;
%constant unsigned long SCARD_STATE_ATRMATCH = (unsigned long)SCARD_STATE_ATRMATCH;
%constant unsigned long SCARD_STATE_CHANGED = (unsigned long)SCARD_STATE_CHANGED;
%constant unsigned long SCARD_STATE_EMPTY = (unsigned long)SCARD_STATE_EMPTY;
%constant unsigned long SCARD_STATE_EXCLUSIVE = (unsigned long)SCARD_STATE_EXCLUSIVE;
%constant unsigned long SCARD_STATE_IGNORE = (unsigned long)SCARD_STATE_IGNORE;
%constant unsigned long SCARD_STATE_INUSE = (unsigned long)SCARD_STATE_INUSE;
%constant unsigned long SCARD_STATE_MUTE = (unsigned long)SCARD_STATE_MUTE;
%constant unsigned long SCARD_STATE_PRESENT = (unsigned long)SCARD_STATE_PRESENT;
%constant unsigned long SCARD_STATE_UNAVAILABLE = (unsigned long)SCARD_STATE_UNAVAILABLE;
%constant unsigned long SCARD_STATE_UNAWARE = (unsigned long)SCARD_STATE_UNAWARE;
%constant unsigned long SCARD_STATE_UNKNOWN = (unsigned long)SCARD_STATE_UNKNOWN;
%constant unsigned long SCARD_STATE_UNPOWERED = (unsigned long)SCARD_STATE_UNPOWERED;
%constant unsigned long SCARD_UNPOWER_CARD = (unsigned long)SCARD_UNPOWER_CARD;

/* pyscard names the protocol control structures by protocol number:
 * SCardTransmit picks the structure from it. */
%constant unsigned long SCARD_PCI_T0 = SCARD_PROTOCOL_T0;
%constant unsigned long SCARD_PCI_T1 = SCARD_PROTOCOL_T1;
%constant unsigned long SCARD_PCI_RAW = SCARD_PROTOCOL_RAW;
%constant long INVALID_HANDLE = (long)SCARD_E_INVALID_HANDLE;

#if defined(SCARD_WINDOWS)
%constant unsigned long INFINITE = 0xFFFFFFFFUL;
%constant char *SCARD_ALL_READERS = "SCard$AllReaders\000";
%constant char *SCARD_DEFAULT_READERS = "SCard$DefaultReaders\000";
%constant char *SCARD_LOCAL_READERS = "SCard$LocalReaders\000";
%constant char *SCARD_SYSTEM_READERS = "SCard$SystemReaders\000";
%constant unsigned long SCARD_PROVIDER_PRIMARY = 1;
%constant unsigned long SCARD_PROVIDER_CSP = 2;
%constant unsigned long SCARD_PROVIDER_KSP = 3;
#else
/* pyscard's value on pcsc-lite and macOS: the largest signed 32-bit
 * timeout, which every pcsc-lite version treats as "wait for ever". */
%constant unsigned long INFINITE = 0x7FFFFFFFUL;
#endif

%constant char *resourceManager = PCSC_RESOURCE_MANAGER;
%constant char *resourceManagerSubType = PCSC_RESOURCE_MANAGER_SUBTYPE;

/* Card states of SCardStatus (not in pyscard 2.3.1): a bit mask on
 * pcsc-lite and macOS, an enumeration on Windows, as each header says. */
%constant unsigned long SCARD_UNKNOWN = SCARD_UNKNOWN;
%constant unsigned long SCARD_ABSENT = SCARD_ABSENT;
%constant unsigned long SCARD_PRESENT = SCARD_PRESENT;
%constant unsigned long SCARD_SWALLOWED = SCARD_SWALLOWED;
%constant unsigned long SCARD_POWERED = SCARD_POWERED;
%constant unsigned long SCARD_NEGOTIABLE = SCARD_NEGOTIABLE;
%constant unsigned long SCARD_SPECIFIC = SCARD_SPECIFIC;
