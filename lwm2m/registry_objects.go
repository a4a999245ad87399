package lwm2m

// Readable names for the two booleans of a definition row.
const (
	one  = false // single instance
	many = true  // multiple instances
	opt  = false // optional
	mand = true  // mandatory
)

func resources(defs ...ResourceDef) map[uint16]ResourceDef {
	m := make(map[uint16]ResourceDef, len(defs))
	for _, d := range defs {
		m[d.ID] = d
	}
	return m
}

// Resource ids of the Security Object the harness provisions.
const (
	SecServerURI        uint16 = 0
	SecBootstrapServer  uint16 = 1
	SecSecurityMode     uint16 = 2
	SecPublicKeyOrID    uint16 = 3
	SecServerPublicKey  uint16 = 4
	SecSecretKey        uint16 = 5
	SecShortServerID    uint16 = 10
	SecClientHoldOff    uint16 = 11
	SecSNI              uint16 = 14
	SecCertificateUsage uint16 = 15
	SecCipherSuite      uint16 = 16
)

// securityObject is the LwM2M Security Object, version 1.1 (Core 1.1
// Appendix E.1). Certificate Usage and Matching Type are Unsigned Integer
// as in the OMA registry; Value.AsInt reads them all the same.
func securityObject() ObjectDef {
	return ObjectDef{ID: ObjSecurity, Name: "LwM2M Security", Multiple: many, Mandatory: mand, Version: "1.1",
		Resources: resources(
			ResourceDef{0, "LwM2M Server URI", KindString, one, mand, ""},
			ResourceDef{1, "Bootstrap-Server", KindBoolean, one, mand, ""},
			ResourceDef{2, "Security Mode", KindInteger, one, mand, ""},
			ResourceDef{3, "Public Key or Identity", KindOpaque, one, mand, ""},
			ResourceDef{4, "Server Public Key", KindOpaque, one, mand, ""},
			ResourceDef{5, "Secret Key", KindOpaque, one, mand, ""},
			ResourceDef{6, "SMS Security Mode", KindInteger, one, opt, ""},
			ResourceDef{7, "SMS Binding Key Parameters", KindOpaque, one, opt, ""},
			ResourceDef{8, "SMS Binding Secret Key(s)", KindOpaque, one, opt, ""},
			ResourceDef{9, "LwM2M Server SMS Number", KindString, one, opt, ""},
			ResourceDef{10, "Short Server ID", KindInteger, one, opt, ""},
			ResourceDef{11, "Client Hold Off Time", KindInteger, one, opt, ""},
			ResourceDef{12, "Bootstrap-Server Account Timeout", KindInteger, one, opt, ""},
			ResourceDef{13, "Matching Type", KindUnsignedInteger, one, opt, ""},
			ResourceDef{14, "SNI", KindString, one, opt, ""},
			ResourceDef{15, "Certificate Usage", KindUnsignedInteger, one, opt, ""},
			ResourceDef{16, "DTLS/TLS Ciphersuite", KindUnsignedInteger, many, opt, ""},
			ResourceDef{17, "OSCORE Security Mode", KindObjLink, one, opt, ""},
		)}
}

// Resource ids of the Server Object.
const (
	SrvShortServerID      uint16 = 0
	SrvLifetime           uint16 = 1
	SrvDefaultPmin        uint16 = 2
	SrvDefaultPmax        uint16 = 3
	SrvDisable            uint16 = 4
	SrvDisableTimeout     uint16 = 5
	SrvNotifStoring       uint16 = 6
	SrvBinding            uint16 = 7
	SrvRegUpdateTrigger   uint16 = 8
	SrvBootstrapTrigger   uint16 = 9
	SrvTLSDTLSAlertCode   uint16 = 11
	SrvLastBootstrapped   uint16 = 12
	SrvPreferredTransport uint16 = 22
)

// serverObject is the LwM2M Server Object, version 1.1 (Core 1.1
// Appendix E.2).
func serverObject() ObjectDef {
	return ObjectDef{ID: ObjServer, Name: "LwM2M Server", Multiple: many, Mandatory: mand, Version: "1.1",
		Resources: resources(
			ResourceDef{0, "Short Server ID", KindInteger, one, mand, "R"},
			ResourceDef{1, "Lifetime", KindInteger, one, mand, "RW"},
			ResourceDef{2, "Default Minimum Period", KindInteger, one, opt, "RW"},
			ResourceDef{3, "Default Maximum Period", KindInteger, one, opt, "RW"},
			ResourceDef{4, "Disable", KindNone, one, opt, "E"},
			ResourceDef{5, "Disable Timeout", KindInteger, one, opt, "RW"},
			ResourceDef{6, "Notification Storing When Disabled or Offline", KindBoolean, one, mand, "RW"},
			ResourceDef{7, "Binding", KindString, one, mand, "RW"},
			ResourceDef{8, "Registration Update Trigger", KindNone, one, mand, "E"},
			ResourceDef{9, "Bootstrap-Request Trigger", KindNone, one, opt, "E"},
			ResourceDef{10, "APN Link", KindObjLink, one, opt, "RW"},
			ResourceDef{11, "TLS-DTLS Alert Code", KindUnsignedInteger, one, opt, "R"},
			ResourceDef{12, "Last Bootstrapped", KindTime, one, opt, "R"},
			ResourceDef{13, "Registration Priority Order", KindUnsignedInteger, one, opt, "RW"},
			ResourceDef{14, "Initial Registration Delay Timer", KindUnsignedInteger, one, opt, "RW"},
			ResourceDef{15, "Registration Failure Block", KindBoolean, one, opt, "RW"},
			ResourceDef{16, "Bootstrap on Registration Failure", KindBoolean, one, opt, "RW"},
			ResourceDef{17, "Communication Retry Count", KindUnsignedInteger, one, opt, "RW"},
			ResourceDef{18, "Communication Retry Timer", KindUnsignedInteger, one, opt, "RW"},
			ResourceDef{19, "Communication Sequence Delay Timer", KindUnsignedInteger, one, opt, "RW"},
			ResourceDef{20, "Communication Sequence Retry Count", KindUnsignedInteger, one, opt, "RW"},
			ResourceDef{21, "Trigger", KindBoolean, one, opt, "RW"},
			ResourceDef{22, "Preferred Transport", KindString, one, opt, "RW"},
			ResourceDef{23, "Mute Send", KindBoolean, one, opt, "RW"},
		)}
}

// Resource ids of the Device Object.
const (
	DevManufacturer     uint16 = 0
	DevModelNumber      uint16 = 1
	DevSerialNumber     uint16 = 2
	DevFirmwareVersion  uint16 = 3
	DevReboot           uint16 = 4
	DevFactoryReset     uint16 = 5
	DevErrorCode        uint16 = 11
	DevResetErrorCode   uint16 = 12
	DevCurrentTime      uint16 = 13
	DevUTCOffset        uint16 = 14
	DevTimezone         uint16 = 15
	DevSupportedBinding uint16 = 16
	DevDeviceType       uint16 = 17
)

// deviceObject is the LwM2M Device Object, version 1.1 (Core 1.1
// Appendix E.4).
func deviceObject() ObjectDef {
	return ObjectDef{ID: ObjDevice, Name: "Device", Multiple: one, Mandatory: mand, Version: "1.1",
		Resources: resources(
			ResourceDef{0, "Manufacturer", KindString, one, opt, "R"},
			ResourceDef{1, "Model Number", KindString, one, opt, "R"},
			ResourceDef{2, "Serial Number", KindString, one, opt, "R"},
			ResourceDef{3, "Firmware Version", KindString, one, opt, "R"},
			ResourceDef{4, "Reboot", KindNone, one, mand, "E"},
			ResourceDef{5, "Factory Reset", KindNone, one, opt, "E"},
			ResourceDef{6, "Available Power Sources", KindInteger, many, opt, "R"},
			ResourceDef{7, "Power Source Voltage", KindInteger, many, opt, "R"},
			ResourceDef{8, "Power Source Current", KindInteger, many, opt, "R"},
			ResourceDef{9, "Battery Level", KindInteger, one, opt, "R"},
			ResourceDef{10, "Memory Free", KindInteger, one, opt, "R"},
			ResourceDef{11, "Error Code", KindInteger, many, mand, "R"},
			ResourceDef{12, "Reset Error Code", KindNone, one, opt, "E"},
			ResourceDef{13, "Current Time", KindTime, one, opt, "RW"},
			ResourceDef{14, "UTC Offset", KindString, one, opt, "RW"},
			ResourceDef{15, "Timezone", KindString, one, opt, "RW"},
			ResourceDef{16, "Supported Binding and Modes", KindString, one, mand, "R"},
			ResourceDef{17, "Device Type", KindString, one, opt, "R"},
			ResourceDef{18, "Hardware Version", KindString, one, opt, "R"},
			ResourceDef{19, "Software Version", KindString, one, opt, "R"},
			ResourceDef{20, "Battery Status", KindInteger, one, opt, "R"},
			ResourceDef{21, "Memory Total", KindInteger, one, opt, "R"},
			ResourceDef{22, "ExtDevInfo", KindObjLink, many, opt, "R"},
		)}
}
