package dev.rollout.starter.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** An IPv4 address hidden in an IPv6 form is judged as the IPv4 address itself, whatever the address. */
class AddressPolicyProperties {

    @Property
    void nat64And6to4FormsAreJudgedByTheIpv4AddressTheyCarry(@ForAll int bits) throws UnknownHostException {
        byte[] v4 = { (byte) (bits >>> 24), (byte) (bits >>> 16), (byte) (bits >>> 8), (byte) bits };
        boolean special = AddressPolicy.specialPurpose(InetAddress.getByAddress(v4)).isPresent();

        byte[] nat64 = new byte[16];
        nat64[1] = 0x64;
        nat64[2] = (byte) 0xff;
        nat64[3] = (byte) 0x9b;
        System.arraycopy(v4, 0, nat64, 12, 4);
        byte[] sixToFour = new byte[16];
        sixToFour[0] = 0x20;
        sixToFour[1] = 0x02;
        System.arraycopy(v4, 0, sixToFour, 2, 4);
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(v4, 0, mapped, 12, 4);

        assertThat(AddressPolicy.specialPurpose(InetAddress.getByAddress(nat64)).isPresent()).isEqualTo(special);
        assertThat(AddressPolicy.specialPurpose(InetAddress.getByAddress(sixToFour)).isPresent()).isEqualTo(special);
        assertThat(AddressPolicy.specialPurpose(InetAddress.getByAddress(mapped)).isPresent()).isEqualTo(special);
    }

    @Property
    void everyIpv4CompatibleFormIsRefused(@ForAll int bits) throws UnknownHostException {
        byte[] compatible = new byte[16];
        compatible[12] = (byte) (bits >>> 24);
        compatible[13] = (byte) (bits >>> 16);
        compatible[14] = (byte) (bits >>> 8);
        compatible[15] = (byte) bits;
        assertThat(AddressPolicy.specialPurpose(InetAddress.getByAddress(compatible))).isPresent();
    }
}
