"""Files the program owns: where they live, durable writes, package data."""
