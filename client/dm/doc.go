// Package dm answers the CoAP requests an LwM2M server or bootstrap server
// sends to the reference client: the Device Management and Service
// Enablement interface (Read, Discover, Write, Write-Attributes, Execute,
// Create, Delete), the Information Reporting interface (Observe, Cancel
// Observation, Notify) and, in bootstrap mode, the Bootstrap interface
// (Bootstrap-Write, -Read, -Discover, -Delete, -Finish). It maps the
// model's typed errors to CoAP response codes.
//
// Use one Handler per server connection: notification attributes are
// kept per server, as the specification requires.
package dm
