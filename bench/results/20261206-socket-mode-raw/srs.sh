#!/bin/bash
uri=$1 label=$2
strace -f -c -o /tmp/lead/srs-$label.txt fio --name=w --ioengine=nbd --uri="$uri" --rw=randread --bs=4k --iodepth=16 --time_based --runtime=2 --norandommap --randrepeat=0 --output-format=json --output=/tmp/lead/srs-$label.json >/dev/null
python3 -c "import json; j=json.load(open('/tmp/lead/srs-$label.json'))['jobs'][0]['read']; print('$label ios', j['total_ios'])"
