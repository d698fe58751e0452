"""What the front ends call: accounts, import and export, fetching, the schedule."""
