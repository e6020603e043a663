# SPDX-License-Identifier: LGPL-2.1-or-later
"""Type stub for the SWIG extension smartcard.scard (generated, then edited)."""

from __future__ import annotations

from typing import List, Sequence, Tuple, Union

_Bytes = Union[Sequence[int], bytes, bytearray, memoryview]
_ReaderState = Union[Tuple[str, int], Tuple[str, int, _Bytes]]
_ReaderStateOut = Tuple[str, int, List[int]]

class error(Exception): ...
class PCSCLibraryError(error, OSError): ...

INFINITE: int
INVALID_HANDLE: int
SCARD_ATTR_ASYNC_PROTOCOL_TYPES: int
SCARD_ATTR_ATR_STRING: int
SCARD_ATTR_CHANNEL_ID: int
SCARD_ATTR_CHARACTERISTICS: int
SCARD_ATTR_CURRENT_BWT: int
SCARD_ATTR_CURRENT_CLK: int
SCARD_ATTR_CURRENT_CWT: int
SCARD_ATTR_CURRENT_D: int
SCARD_ATTR_CURRENT_EBC_ENCODING: int
SCARD_ATTR_CURRENT_F: int
SCARD_ATTR_CURRENT_IFSC: int
SCARD_ATTR_CURRENT_IFSD: int
SCARD_ATTR_CURRENT_IO_STATE: int
SCARD_ATTR_CURRENT_N: int
SCARD_ATTR_CURRENT_PROTOCOL_TYPE: int
SCARD_ATTR_CURRENT_W: int
SCARD_ATTR_DEFAULT_CLK: int
SCARD_ATTR_DEFAULT_DATA_RATE: int
SCARD_ATTR_DEVICE_FRIENDLY_NAME: int
SCARD_ATTR_DEVICE_FRIENDLY_NAME_A: int
SCARD_ATTR_DEVICE_FRIENDLY_NAME_W: int
SCARD_ATTR_DEVICE_IN_USE: int
SCARD_ATTR_DEVICE_SYSTEM_NAME: int
SCARD_ATTR_DEVICE_SYSTEM_NAME_A: int
SCARD_ATTR_DEVICE_SYSTEM_NAME_W: int
SCARD_ATTR_DEVICE_UNIT: int
SCARD_ATTR_ESC_AUTHREQUEST: int
SCARD_ATTR_ESC_CANCEL: int
SCARD_ATTR_ESC_RESET: int
SCARD_ATTR_EXTENDED_BWT: int
SCARD_ATTR_ICC_INTERFACE_STATUS: int
SCARD_ATTR_ICC_PRESENCE: int
SCARD_ATTR_ICC_TYPE_PER_ATR: int
SCARD_ATTR_MAXINPUT: int
SCARD_ATTR_MAX_CLK: int
SCARD_ATTR_MAX_DATA_RATE: int
SCARD_ATTR_MAX_IFSD: int
SCARD_ATTR_POWER_MGMT_SUPPORT: int
SCARD_ATTR_SUPRESS_T1_IFS_REQUEST: int
SCARD_ATTR_SYNC_PROTOCOL_TYPES: int
SCARD_ATTR_USER_AUTH_INPUT_DEVICE: int
SCARD_ATTR_USER_TO_CARD_AUTH_DEVICE: int
SCARD_ATTR_VENDOR_IFD_SERIAL_NO: int
SCARD_ATTR_VENDOR_IFD_TYPE: int
SCARD_ATTR_VENDOR_IFD_VERSION: int
SCARD_ATTR_VENDOR_NAME: int
SCARD_EJECT_CARD: int
SCARD_E_BAD_SEEK: int
SCARD_E_CANCELLED: int
SCARD_E_CANT_DISPOSE: int
SCARD_E_CARD_UNSUPPORTED: int
SCARD_E_CERTIFICATE_UNAVAILABLE: int
SCARD_E_COMM_DATA_LOST: int
SCARD_E_DIR_NOT_FOUND: int
SCARD_E_DUPLICATE_READER: int
SCARD_E_FILE_NOT_FOUND: int
SCARD_E_ICC_CREATEORDER: int
SCARD_E_ICC_INSTALLATION: int
SCARD_E_INSUFFICIENT_BUFFER: int
SCARD_E_INVALID_ATR: int
SCARD_E_INVALID_CHV: int
SCARD_E_INVALID_HANDLE: int
SCARD_E_INVALID_PARAMETER: int
SCARD_E_INVALID_TARGET: int
SCARD_E_INVALID_VALUE: int
SCARD_E_NOT_READY: int
SCARD_E_NOT_TRANSACTED: int
SCARD_E_NO_ACCESS: int
SCARD_E_NO_DIR: int
SCARD_E_NO_FILE: int
SCARD_E_NO_KEY_CONTAINER: int
SCARD_E_NO_MEMORY: int
SCARD_E_NO_READERS_AVAILABLE: int
SCARD_E_NO_SERVICE: int
SCARD_E_NO_SMARTCARD: int
SCARD_E_NO_SUCH_CERTIFICATE: int
SCARD_E_PCI_TOO_SMALL: int
SCARD_E_PROTO_MISMATCH: int
SCARD_E_READER_UNAVAILABLE: int
SCARD_E_READER_UNSUPPORTED: int
SCARD_E_SERVER_TOO_BUSY: int
SCARD_E_SERVICE_STOPPED: int
SCARD_E_SHARING_VIOLATION: int
SCARD_E_SYSTEM_CANCELLED: int
SCARD_E_TIMEOUT: int
SCARD_E_UNEXPECTED: int
SCARD_E_UNKNOWN_CARD: int
SCARD_E_UNKNOWN_READER: int
SCARD_E_UNKNOWN_RES_MNG: int
SCARD_E_UNSUPPORTED_FEATURE: int
SCARD_E_WRITE_TOO_MANY: int
SCARD_F_COMM_ERROR: int
SCARD_F_INTERNAL_ERROR: int
SCARD_F_UNKNOWN_ERROR: int
SCARD_F_WAITED_TOO_LONG: int
SCARD_LEAVE_CARD: int
SCARD_PCI_RAW: int
SCARD_PCI_T0: int
SCARD_PCI_T1: int
SCARD_PROTOCOL_ANY: int
SCARD_PROTOCOL_DEFAULT: int
SCARD_PROTOCOL_OPTIMAL: int
SCARD_PROTOCOL_RAW: int
SCARD_PROTOCOL_T0: int
SCARD_PROTOCOL_T1: int
SCARD_PROTOCOL_T15: int
SCARD_PROTOCOL_Tx: int
SCARD_PROTOCOL_UNDEFINED: int
SCARD_PROTOCOL_UNSET: int
SCARD_P_SHUTDOWN: int
SCARD_RESET_CARD: int
SCARD_SCOPE_SYSTEM: int
SCARD_SCOPE_TERMINAL: int
SCARD_SCOPE_USER: int
SCARD_SHARE_DIRECT: int
SCARD_SHARE_EXCLUSIVE: int
SCARD_SHARE_SHARED: int
SCARD_STATE_ATRMATCH: int
SCARD_STATE_CHANGED: int
SCARD_STATE_EMPTY: int
SCARD_STATE_EXCLUSIVE: int
SCARD_STATE_IGNORE: int
SCARD_STATE_INUSE: int
SCARD_STATE_MUTE: int
SCARD_STATE_PRESENT: int
SCARD_STATE_UNAVAILABLE: int
SCARD_STATE_UNAWARE: int
SCARD_SPECIFIC: int
SCARD_NEGOTIABLE: int
SCARD_POWERED: int
SCARD_SWALLOWED: int
SCARD_PRESENT: int
SCARD_ABSENT: int
SCARD_UNKNOWN: int
SCARD_STATE_UNKNOWN: int
SCARD_STATE_UNPOWERED: int
SCARD_S_SUCCESS: int
SCARD_UNPOWER_CARD: int
SCARD_W_CANCELLED_BY_USER: int
SCARD_W_CARD_NOT_AUTHENTICATED: int
SCARD_W_CHV_BLOCKED: int
SCARD_W_EOF: int
SCARD_W_REMOVED_CARD: int
SCARD_W_RESET_CARD: int
SCARD_W_SECURITY_VIOLATION: int
SCARD_W_UNPOWERED_CARD: int
SCARD_W_UNRESPONSIVE_CARD: int
SCARD_W_UNSUPPORTED_CARD: int
SCARD_W_WRONG_CHV: int
resourceManager: str
resourceManagerSubType: str

# The calls with outputs return a list: the result code, then the outputs.
# A list type cannot give each position its own type, so they are typed as
# the tuples they unpack to (``hresult, hcard, protocol = SCardConnect(...)``);
# code that unpacks or indexes them is then checked exactly.
def SCardEstablishContext(dwScope: int, /) -> Tuple[int, int]: ...
def SCardReleaseContext(hcontext: int, /) -> int: ...
def SCardIsValidContext(hcontext: int, /) -> int: ...
def SCardListReaders(hcontext: int, readergroups: Sequence[str], /) -> Tuple[int, List[str]]: ...
def SCardListReaderGroups(hcontext: int, /) -> Tuple[int, List[str]]: ...
def SCardConnect(
    hcontext: int, readername: str, dwShareMode: int, dwPreferredProtocols: int, /
) -> Tuple[int, int, int]: ...
def SCardReconnect(
    hcard: int, dwShareMode: int, dwPreferredProtocols: int, dwInitialization: int, /
) -> Tuple[int, int]: ...
def SCardDisconnect(hcard: int, dwDisposition: int, /) -> int: ...
def SCardBeginTransaction(hcard: int, /) -> int: ...
def SCardEndTransaction(hcard: int, dwDisposition: int, /) -> int: ...
def SCardStatus(hcard: int, /) -> Tuple[int, str, int, int, List[int]]: ...
def SCardGetStatusChange(
    hcontext: int, dwTimeout: int, readerstatelist: Sequence[_ReaderState], /
) -> Tuple[int, List[_ReaderStateOut]]: ...
def SCardControl(hcard: int, dwControlCode: int, inbuffer: _Bytes, /) -> Tuple[int, List[int]]: ...
def SCardTransmit(hcard: int, dwProtocol: int, apdu: _Bytes, /) -> Tuple[int, List[int]]: ...
def SCardTransmitBytes(hcard: int, dwProtocol: int, apdu: _Bytes, /) -> Tuple[int, bytes]:
    """SCardTransmit with the response as bytes (empty unless hresult is 0), in a tuple."""

def SCardCancel(hcontext: int, /) -> int: ...
def SCardGetAttrib(hcard: int, dwAttrId: int, /) -> Tuple[int, List[int]]: ...
def SCardSetAttrib(hcard: int, dwAttrId: int, attrib: _Bytes, /) -> int: ...
def SCardGetErrorMessage(hresult: int, /) -> str: ...
def SCARD_CTL_CODE(code: int, /) -> int: ...
def SCardIntroduceReaderGroup(hcontext: int, groupname: str, /) -> int: ...
def SCardForgetReaderGroup(hcontext: int, groupname: str, /) -> int: ...
def SCardIntroduceReader(hcontext: int, readername: str, devicename: str, /) -> int: ...
def SCardForgetReader(hcontext: int, readername: str, /) -> int: ...
def SCardAddReaderToGroup(hcontext: int, readername: str, groupname: str, /) -> int: ...
def SCardRemoveReaderFromGroup(hcontext: int, readername: str, groupname: str, /) -> int: ...
