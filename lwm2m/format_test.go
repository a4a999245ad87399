package lwm2m

import (
	"errors"
	"testing"

	"github.com/plgd-dev/go-coap/v3/message"
)

func TestSupportedFormatsRoundTrip(t *testing.T) {
	p := NewPath(1, 0, 1)
	recs := []Record{{p, Int(300)}}
	for _, f := range Supported() {
		if f == message.AppOctets {
			continue // opaque carries Opaque values only
		}
		b, err := Encode(f, p, recs)
		if err != nil {
			t.Errorf("%v: %v", f, err)
			continue
		}
		back, err := Decode(f, p, b, KindOf)
		if err != nil {
			t.Errorf("%v: %v", f, err)
			continue
		}
		assertRecords(t, back, recs)
	}
}

func TestUnsupportedFormat(t *testing.T) {
	for _, f := range []message.MediaType{message.AppLinkFormat, message.AppJSON, message.AppLwm2mJSON, message.MediaType(9999)} {
		_, err := Encode(f, NewPath(3, 0), nil)
		if !errors.Is(err, ErrUnsupportedFormat) {
			t.Errorf("Encode %v: %v", f, err)
		}
		_, err = Decode(f, NewPath(3, 0), nil, KindOf)
		if !errors.Is(err, ErrUnsupportedFormat) {
			t.Errorf("Decode %v: %v", f, err)
		}
	}
}

func TestErrorsNameFormatAndBase(t *testing.T) {
	_, err := Decode(message.AppLwm2mTLV, NewPath(3, 0), []byte{0xc8}, KindOf)
	assertErrContains(t, err, "lwm2m: decode application/vnd.oma.lwm2m+tlv at /3/0: ")
	_, err = Encode(message.AppSenmlJSON, NewPath(3, 0), []Record{{NewPath(4, 0, 0), Int(1)}})
	assertErrContains(t, err, "lwm2m: encode application/senml+json at /3/0: ")
}
