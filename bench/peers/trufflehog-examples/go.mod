module leakd/bench/peers/trufflehog-examples

go 1.22
