<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>AccountTable</name>
    <message numerus="yes">
        <location filename="../gui/account_table.py" line="168"/>
        <source>off: %n failed run(s)</source>
        <translation>
            <numerusform>off: %n failed run</numerusform>
            <numerusform>off: %n failed runs</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../gui/account_table.py" line="182"/>
        <location filename="../gui/account_table.py" line="213"/>
        <source>ok, %n new</source>
        <translation>
            <numerusform>ok, %n new</numerusform>
            <numerusform>ok, %n new</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../gui/account_table.py" line="218"/>
        <source>%n failed run(s) in a row</source>
        <translation>
            <numerusform>%n failed run in a row</numerusform>
            <numerusform>%n failed runs in a row</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../gui/account_table.py" line="222"/>
        <source>Scheduled fetching was switched off after %n failed run(s) in a row. Switch it on again on the account&apos;s Fetching card.</source>
        <translation>
            <numerusform>Scheduled fetching was switched off after %n failed run in a row. Switch it on again on the account&apos;s Fetching card.</numerusform>
            <numerusform>Scheduled fetching was switched off after %n failed runs in a row. Switch it on again on the account&apos;s Fetching card.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FetchDialog</name>
    <message numerus="yes">
        <location filename="../gui/fetch_dialog.py" line="232"/>
        <source>ok, %n new</source>
        <translation>
            <numerusform>ok, %n new</numerusform>
            <numerusform>ok, %n new</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../gui/fetch_dialog.py" line="251"/>
        <source>%n new message(s) fetched.</source>
        <translation>
            <numerusform>%n new message fetched.</numerusform>
            <numerusform>%n new messages fetched.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../gui/fetch_dialog.py" line="255"/>
        <source>%n account(s) failed:</source>
        <translation>
            <numerusform>%n account failed:</numerusform>
            <numerusform>%n accounts failed:</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message numerus="yes">
        <location filename="../gui/main_window.py" line="282"/>
        <source>%n e-mail account(s)</source>
        <translation>
            <numerusform>%n e-mail account</numerusform>
            <numerusform>%n e-mail accounts</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../gui/main_window.py" line="284"/>
        <source>{shown} of %n e-mail account(s)</source>
        <translation>
            <numerusform>{shown} of %n e-mail account</numerusform>
            <numerusform>{shown} of %n e-mail accounts</numerusform>
        </translation>
    </message>
</context>
</TS>
