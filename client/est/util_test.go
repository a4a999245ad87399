package est

import "github.com/plgd-dev/go-coap/v3/message"

func mediaType(f uint16) message.MediaType { return message.MediaType(f) }
