package leshan

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Value is a resource value with an explicit LwM2M type, for the types a
// Go value cannot tell (unsigned_integer, objlnk): Type is one of string,
// integer, unsigned_integer, float, boolean, opaque, time, objlnk; V is
// its value in the demos' JSON form (numbers as strings).
type Value struct {
	Type string
	V    any
}

// resourceNode is the demos' JSON for a single resource.
type resourceNode struct {
	ID    int    `json:"id"`
	Kind  string `json:"kind"`
	Type  string `json:"type"`
	Value any    `json:"value"`
}

// singleResource builds the Write body for path /o/i/r from a Go value.
func singleResource(path string, v any) (resourceNode, error) {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	if len(parts) != 3 {
		return resourceNode{}, fmt.Errorf("leshan: Write %s: want a resource path /object/instance/resource", path)
	}
	id, err := strconv.ParseUint(parts[2], 10, 16)
	if err != nil {
		return resourceNode{}, fmt.Errorf("leshan: Write %s: resource id: %w", path, err)
	}
	n := resourceNode{ID: int(id), Kind: "singleResource"}
	switch x := v.(type) {
	case Value:
		n.Type, n.Value = x.Type, x.V
	case string:
		n.Type, n.Value = "string", x
	case bool:
		n.Type, n.Value = "boolean", x
	case int:
		n.Type, n.Value = "integer", strconv.FormatInt(int64(x), 10)
	case int8, int16, int32, int64:
		n.Type, n.Value = "integer", fmt.Sprint(x)
	case uint, uint8, uint16, uint32, uint64:
		n.Type, n.Value = "unsigned_integer", fmt.Sprint(x)
	case float32:
		n.Type, n.Value = "float", strconv.FormatFloat(float64(x), 'g', -1, 32)
	case float64:
		n.Type, n.Value = "float", strconv.FormatFloat(x, 'g', -1, 64)
	case []byte:
		n.Type, n.Value = "opaque", hex.EncodeToString(x)
	case time.Time:
		n.Type, n.Value = "time", x.UnixMilli()
	case time.Duration:
		if x%time.Second != 0 {
			return n, fmt.Errorf("leshan: Write %s: %s is not whole seconds", path, x)
		}
		n.Type, n.Value = "integer", strconv.FormatInt(int64(x/time.Second), 10)
	default:
		return n, fmt.Errorf("leshan: Write %s: cannot tell the LwM2M type of %T (use leshan.Value)", path, v)
	}
	return n, nil
}

// Response is Leshan's answer to a request sent to a client through the
// REST API.
type Response struct {
	Status       string          `json:"status"` // e.g. CONTENT(205)
	Valid        bool            `json:"valid"`
	Success      bool            `json:"success"`
	Failure      bool            `json:"failure"`
	Content      json.RawMessage `json:"content,omitempty"`
	ErrorMessage string          `json:"errormessage,omitempty"`
}

// Node is a decoded LwM2M node of a Read answer or a notification.
type Node struct {
	ID        int             `json:"id"`
	Kind      string          `json:"kind"` // obj, instance, singleResource, multiResource, resourceInstance
	Type      string          `json:"type"`
	Value     json.RawMessage `json:"value"`
	Values    map[string]any  `json:"values"`
	Resources []Node          `json:"resources"`
	Instances []Node          `json:"instances"`
}

// ParseNode decodes a node.
func ParseNode(raw json.RawMessage) (Node, error) {
	var n Node
	if err := json.Unmarshal(raw, &n); err != nil {
		return n, fmt.Errorf("leshan: not a node: %w", err)
	}
	return n, nil
}

// Resource finds a resource of an instance node.
func (n Node) Resource(id int) (Node, bool) {
	for _, r := range n.Resources {
		if r.ID == id {
			return r, true
		}
	}
	return Node{}, false
}

// Text is a single resource's value as text (integers and floats travel
// as strings; other JSON values are returned as written).
func (n Node) Text() string {
	var s string
	if json.Unmarshal(n.Value, &s) == nil {
		return s
	}
	return string(n.Value)
}

// Registration is a client's registration as the REST API shows it.
type Registration struct {
	Endpoint         string            `json:"endpoint"`
	RegistrationID   string            `json:"registrationId"`
	RegistrationDate int64             `json:"registrationDate"` // ms since the epoch
	LastUpdate       int64             `json:"lastUpdate"`
	Address          string            `json:"address"`
	LwM2MVersion     string            `json:"lwM2mVersion"`
	Lifetime         int64             `json:"lifetime"`
	BindingMode      string            `json:"bindingMode"`
	RootPath         string            `json:"rootPath"`
	ObjectLinks      []Link            `json:"objectLinks"`
	Secure           bool              `json:"secure"`
	Identity         string            `json:"identity"`
	QueueMode        bool              `json:"queuemode"`
	Available        map[string][]int  `json:"availableInstances"`
	Attributes       map[string]string `json:"additionalRegistrationAttributes"`
	Expired          bool              `json:"expired"` // DEREGISTRATION events: by expiry
}

// Link is one object link of a registration.
type Link struct {
	URL  string `json:"url"`
	Link string `json:"link"`
}

// RegistrationUpdate is the data of an EventUpdated.
type RegistrationUpdate struct {
	Registration Registration `json:"registration"`
	Update       struct {
		RegistrationID string `json:"registrationId"`
		Lifetime       *int64 `json:"lifetime"`
		BindingMode    string `json:"bindingMode"`
		ObjectLinks    []Link `json:"objectLinks"`
	} `json:"update"`
}
