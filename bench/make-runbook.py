"""Writes the 100-step benchmark runbook: a mix of the actions a Setup runbook uses."""
import sys
steps = ['  - goto: "${base}/bench/page.html"']
i = 0
while len(steps) < 100:
    i = i % 20 + 1
    for s in [
        f'  - fill: {{ field: Field {i}, with: "value {i}" }}',
        f'  - check: Option {i}',
        f'  - select: {{ field: Choice {i}, option: Two }}',
        f'  - expect: {{ field: Field {i}, value: "value {i}" }}',
        '  - click: { button: Save }',
    ]:
        if len(steps) < 100:
            steps.append(s)
print("runbook: Benchmark, 100 steps\ninputs:\n  base: {}\nsteps:\n" + "\n".join(steps))
