"""Rate limits count an IPv6 client by its /64 network: a host or household gets a whole
/64 and can take a new address for every request; IPv4 addresses count one by one."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from infra.ratelimit import network_key


def test_an_ipv6_address_counts_as_its_64_network():
    assert network_key("2001:db8:1:2::1") == "2001:db8:1:2::/64"
    assert network_key("2001:db8:1:2:ffff:ffff:ffff:ffff") == "2001:db8:1:2::/64"
    assert network_key("2001:0DB8:0001:0002:0:0:0:9") == "2001:db8:1:2::/64"
    assert network_key("2001:db8:1:3::1") == "2001:db8:1:3::/64"
    assert network_key("fe80::1%eth0") == "fe80::/64"


def test_ipv4_counts_per_address():
    assert network_key("192.0.2.7") == "192.0.2.7"
    assert network_key("::ffff:192.0.2.7") == "192.0.2.7"
    assert network_key("unknown") == "unknown"


@pytest.mark.django_db
def test_new_addresses_in_the_same_64_share_the_limit(settings):
    cache.clear()
    settings.DATA_REQUEST_LIMIT_PER_IP = 2
    url = reverse("dataprotection:data-request")

    def ask(address, n):
        return Client(REMOTE_ADDR=address).post(url, {"email": f"v6-{n}@example.org"})

    assert ask("2001:db8:1:2::1", 1).status_code == 200
    assert ask("2001:db8:1:2::2", 2).status_code == 200
    assert ask("2001:db8:1:2:abcd::3", 3).status_code == 429
    # The next /64 is another client.
    assert ask("2001:db8:1:3::1", 4).status_code == 200
