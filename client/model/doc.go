// Package model holds the reference client's LwM2M data model: the
// Security (0), Server (1) and Device (3) objects with their instances and
// resource values, the access rules a management server and a bootstrap
// server are subject to, typed views of the Security and Server instances
// for the transport, and persistence.
//
// All methods are safe for concurrent use. Change listeners and execute
// hooks run without the model's lock held, so they may call back into the
// model.
package model
