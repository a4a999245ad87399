package leshan

import (
	"fmt"
	"net"
)

// freePorts finds n free UDP ports and m free TCP ports on host. The
// sockets are closed before the peer binds them, so a rare collision is
// possible; launch retries on a bind failure.
func freePorts(host string, udp, tcp int) ([]int, []int, error) {
	var us, ts []int
	var closers []func() error
	defer func() {
		for _, c := range closers {
			_ = c()
		}
	}()
	for range udp {
		c, err := net.ListenPacket("udp", net.JoinHostPort(host, "0"))
		if err != nil {
			return nil, nil, fmt.Errorf("leshan: no free UDP port on %s: %w", host, err)
		}
		closers = append(closers, c.Close)
		us = append(us, c.LocalAddr().(*net.UDPAddr).Port)
	}
	for range tcp {
		l, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
		if err != nil {
			return nil, nil, fmt.Errorf("leshan: no free TCP port on %s: %w", host, err)
		}
		closers = append(closers, l.Close)
		ts = append(ts, l.Addr().(*net.TCPAddr).Port)
	}
	return us, ts, nil
}
