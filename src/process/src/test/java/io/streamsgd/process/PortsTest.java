package io.streamsgd.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class PortsTest {

  @Test
  void freeReturnsAPortThatCanBeBoundOnLoopbackRightAway() throws Exception {
    int port = Ports.free();

    assertThat(port).isBetween(1024, 65535);
    try (ServerSocket s = new ServerSocket(port, 0, InetAddress.getByName("127.0.0.1"))) {
      assertThat(s.getLocalPort()).isEqualTo(port);
    }
  }

  @Test
  void portsPickedTogetherAreDistinctAndFreeAfterwards() throws Exception {
    for (int round = 0; round < 200; round++) {
      int[] ports = Ports.free(3);
      assertThat(ports).doesNotHaveDuplicates();
      for (int port : ports) {
        try (ServerSocket s = new ServerSocket(port, 0, InetAddress.getByName("127.0.0.1"))) {
          assertThat(s.getLocalPort()).isEqualTo(port);
        }
      }
    }
  }
}
