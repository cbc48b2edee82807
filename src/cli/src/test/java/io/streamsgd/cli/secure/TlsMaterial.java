package io.streamsgd.cli.secure;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A self-signed broker certificate for 127.0.0.1 and a trust store holding it, made with the JDK's
 * keytool, as an operator would make them for a test cluster.
 */
record TlsMaterial(Path keyStore, Path trustStore, String password) {

  static TlsMaterial create(Path dir, String password) throws IOException, InterruptedException {
    Path keyStore = dir.resolve("broker.p12");
    Path cert = dir.resolve("broker.pem");
    Path trustStore = dir.resolve("truststore.p12");
    keytool(
        "-genkeypair",
        "-alias",
        "broker",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-validity",
        "2",
        "-dname",
        "CN=localhost",
        "-ext",
        "SAN=IP:127.0.0.1,DNS:localhost",
        "-storetype",
        "PKCS12",
        "-keystore",
        keyStore.toString(),
        "-storepass",
        password,
        "-keypass",
        password);
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        "broker",
        "-keystore",
        keyStore.toString(),
        "-storepass",
        password,
        "-file",
        cert.toString());
    keytool(
        "-importcert",
        "-noprompt",
        "-alias",
        "broker",
        "-file",
        cert.toString(),
        "-storetype",
        "PKCS12",
        "-keystore",
        trustStore.toString(),
        "-storepass",
        password);
    return new TlsMaterial(keyStore, trustStore, password);
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IOException("keytool " + args[0] + " failed: " + output);
    }
  }
}
