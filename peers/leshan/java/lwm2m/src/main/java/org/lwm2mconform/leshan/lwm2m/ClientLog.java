package org.lwm2mconform.leshan.lwm2m;

import org.eclipse.leshan.client.observer.LwM2mClientObserverAdapter;
import org.eclipse.leshan.client.servers.LwM2mServer;
import org.eclipse.leshan.core.ResponseCode;
import org.eclipse.leshan.core.request.BootstrapRequest;
import org.eclipse.leshan.core.request.DeregisterRequest;
import org.eclipse.leshan.core.request.RegisterRequest;
import org.eclipse.leshan.core.request.UpdateRequest;

/** One stdout line per lifecycle step of the client peer, as evidence. */
final class ClientLog extends LwM2mClientObserverAdapter {
    @Override
    public void onBootstrapSuccess(LwM2mServer server, BootstrapRequest request) {
        System.out.println("client: bootstrap finished with " + server.getUri());
    }

    @Override
    public void onBootstrapFailure(LwM2mServer server, BootstrapRequest request, ResponseCode code, String msg,
            Exception cause) {
        System.out.println("client: bootstrap failed with " + server.getUri() + ": " + code + " " + msg
                + (cause == null ? "" : " (" + cause + ")"));
    }

    @Override
    public void onRegistrationSuccess(LwM2mServer server, RegisterRequest request, String registrationId) {
        System.out.println("client: registered with " + server.getUri() + " as " + registrationId);
    }

    @Override
    public void onRegistrationFailure(LwM2mServer server, RegisterRequest request, ResponseCode code, String msg,
            Exception cause) {
        System.out.println("client: registration failed with " + server.getUri() + ": " + code + " " + msg
                + (cause == null ? "" : " (" + cause + ")"));
    }

    @Override
    public void onUpdateSuccess(LwM2mServer server, UpdateRequest request) {
        System.out.println("client: update done with " + server.getUri());
    }

    @Override
    public void onDeregistrationSuccess(LwM2mServer server, DeregisterRequest request) {
        System.out.println("client: deregistered from " + server.getUri());
    }

    @Override
    public void onUnexpectedError(Throwable t) {
        System.out.println("client: unexpected error: " + t);
    }
}
