# mta.bash - part 2 of tests/rulelive: the rules through a real Postfix.
mta_tests() { :; }
